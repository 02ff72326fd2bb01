/** The exit codes of a process killed by these signals, which the CLI keeps when it handles them. */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Until the returned function is called, SIGINT (Ctrl-C) and SIGTERM first run `cleanup`, then
 * exit 130 or 143 as Node's default handlers would. Without it the progress bars leave the
 * terminal with its cursor hidden and line wrapping off. The rollback is unchanged: exiting
 * closes the PostgreSQL connection, and the server rolls back the open transaction.
 */
export function onTerminationSignal(
  cleanup: () => void,
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  const handlers = Object.entries(EXIT_CODES).map(([signal, code]) => {
    const handler = () => {
      try {
        cleanup();
      } finally {
        exit(code);
      }
    };
    process.once(signal, handler);
    return { signal, handler };
  });
  return () => handlers.forEach(({ signal, handler }) => process.off(signal, handler));
}
