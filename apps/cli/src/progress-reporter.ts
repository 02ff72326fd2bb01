import { Format, GenericFormatter, MultiBar, Presets } from 'cli-progress';
import type { CopyReporter } from '@app/db-copy';
import { counted } from './counted';

/** Warnings go to stderr at once in every mode (--json's stdout holds the report alone). */
const warn = (message: string) => console.error(`Warning: ${message}`);

/** The bar's width when the terminal has room; it shrinks to fit, and is left out below MIN_BAR. */
const MAX_BAR = 40;
const MIN_BAR = 10;

/**
 * `{table} [{bar}] {value}/{total} rows | {speed} rows/s | ETA {eta}` in the terminal's width
 * (cli-progress cuts a longer line, ETA first), at every redraw, so a resize is followed.
 */
const fitToTerminal: GenericFormatter = (options, params, { table, speed }) => {
  const eta = Format.TimeFormat(params.eta, options, 5);
  // Padded to the total's width: the bar keeps its width as the count grows.
  const value = String(params.value).padStart(String(params.total).length);
  const line = (bar: string) =>
    `${table}${bar} ${value}/${counted(params.total, 'row')} | ${speed} rows/s | ETA ${eta}`;
  // One column spare: some terminals wrap a line that fills the last one.
  const room = params.maxWidth - 1 - line(' []').length;
  if (room < MIN_BAR) return line('');
  return line(
    ` [${Format.BarFormat(params.progress, { ...options, barsize: Math.min(room, MAX_BAR) })}]`,
  );
};

/**
 * Silent but for warnings (for --json), bars with rows, rows/s and ETA on a terminal, plain lines
 * otherwise.
 */
export function createReporter(
  mode: 'json' | 'tty' | 'plain',
  stream: NodeJS.WriteStream = process.stderr,
): CopyReporter & { stop(): void } {
  if (mode === 'json') return { warn, stop: () => undefined };
  if (mode === 'plain') {
    return {
      warn,
      info: (message) => console.log(message),
      tableStart: (table, total) => console.log(`${table}: copying ${counted(total, 'row')}`),
      tableDone: (table, rows, ms) =>
        console.log(
          `${table}: ${counted(rows, 'row')} in ${(ms / 1000).toFixed(1)} s (${rate(rows, ms)} rows/s)`,
        ),
      stop: () => undefined,
    };
  }
  const bars = new MultiBar(
    {
      format: fitToTerminal,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
      stream,
    },
    Presets.shades_classic,
  );
  const active = new Map<string, { bar: ReturnType<MultiBar['create']>; started: number }>();
  return {
    info: (message) => bars.log(`${message}\n`),
    warn,
    tableStart(table, total) {
      const bar = bars.create(Math.max(total, 1), 0, { table: table.padEnd(10), speed: 0 });
      active.set(table, { bar, started: Date.now() });
    },
    tableProgress(table, rows) {
      const entry = active.get(table);
      entry?.bar.update(rows, { speed: rate(rows, Date.now() - entry.started) });
    },
    tableDone(table, rows, ms) {
      const entry = active.get(table);
      entry?.bar.setTotal(Math.max(rows, 1));
      entry?.bar.update(rows, { speed: rate(rows, ms) });
    },
    stop: () => bars.stop(),
  };
}

export function rate(rows: number, ms: number): number {
  return ms > 0 ? Math.round((rows * 1000) / ms) : rows;
}
