import { cpus, totalmem } from 'node:os';
import { Figure } from './figure';
import { Summary } from './stats';

const fmt = (n: number) =>
  n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2);
const cell = (s?: Summary) =>
  s && !Number.isNaN(s.median) ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : '–';

export function machineLine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
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
