import { cpus, totalmem } from 'node:os';
import { Figure } from './figure';
import { Summary, summarize } from './stats';

const fmt = (n: number) =>
  n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2);
const cell = (s?: Summary) =>
  s && !Number.isNaN(s.median) ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : '–';

export function machineLine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

/** 10^6 integer steps: the unit of the CPU check, a function so that V8 optimizes it early. */
function steps(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x + i) | 0;
  return x;
}

/**
 * Milliseconds for 3 x 10^8 integer steps (the median of five rounds): how fast this machine
 * runs at the moment. Shared machines drift between phases; the run's header gives this at its
 * start and end, so absolute figures (P5's 0.5 s, P6's 3 s) can be read against the machine's
 * speed at the time.
 */
function cpuCheckMs(): number {
  const times: number[] = [];
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    for (let k = 0; k < 300; k++) sink ^= steps(1e6);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  if (sink === 0.5) throw new Error('unreachable: keeps the loop from being optimized away');
  return Math.round(summarize(times).median);
}

/**
 * Microseconds to first touch one 4 KiB page of fresh memory (64 MiB, the median of three).
 * On a bare machine this is well under 1 µs; on a VM whose host backs guest memory lazily it
 * can be ten or more, and every process start pays it for its heap and the files it reads.
 */
function pageTouchUs(): number {
  const bytes = 64 * 2 ** 20;
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    const fresh = Buffer.allocUnsafeSlow(bytes);
    const started = process.hrtime.bigint();
    fresh.fill(round + 1);
    times.push(Number(process.hrtime.bigint() - started) / 1e3 / (bytes / 4096));
  }
  return Number(summarize(times).median.toFixed(2));
}

/** The machine's speed at one moment: the CPU check and the cost of fresh memory. */
export interface Pace {
  cpuCheckMs: number;
  pageTouchUs: number;
}

export function machinePace(): Pace {
  return { cpuCheckMs: cpuCheckMs(), pageTouchUs: pageTouchUs() };
}

/** The results header's account of the machine's pace at the start and the end of a run. */
export function paceText(start: Pace, end: Pace): string {
  return (
    `CPU check (3 x 10^8 integer steps, lower is faster) ${start.cpuCheckMs} ms at the start, ` +
    `${end.cpuCheckMs} ms at the end; first touch of fresh memory ${start.pageTouchUs} µs per ` +
    `4 KiB page at the start, ${end.pageTouchUs} µs at the end`
  );
}

/** The results as a markdown table: medians with (min–max), ratio and verdict. */
export function markdownTable(figures: Figure[]): string {
  const rows = figures.map((f) =>
    [
      f.id,
      f.what,
      `${cell(f.baseline)}${f.baselineName ? ` ${f.baselineName}` : ''}`,
      `${cell(f.subject)} ${f.unit}`,
      f.ratio === undefined ? '–' : `${(f.ratio * 100).toFixed(0)}%`,
      f.target,
      f.pass === undefined ? 'report' : f.pass ? 'met' : '**missed**',
      f.note ?? '',
    ]
      .map((cell) => cell.replace(/\|/g, '\\|'))
      .join(' | '),
  );
  return [
    '| id | what | baseline: median (min–max) | ours: median (min–max) | ours/baseline | target | result | note |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}
