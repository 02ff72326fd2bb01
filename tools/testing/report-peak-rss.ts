/**
 * Preloaded (`node -r`) into a process whose peak memory a test checks: prints
 * `peak-kb=<maximum resident set size in KiB>` on stderr as the process exits, on every
 * platform Node runs on (GNU time's `%M` is Linux-only and not installed everywhere).
 */
process.on('exit', () => {
  process.stderr.write(`peak-kb=${process.resourceUsage().maxRSS}\n`);
});
