import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { copyFigures } from './groups/copy';
import { dockerFigures } from './groups/docker';
import { httpFigures } from './groups/http';
import { startupFigures } from './groups/startup';
import { stopDatabases } from './lib/databases';
import { Figure } from './lib/figure';
import { machineLine, machinePace, markdownTable, paceText } from './lib/report';
import { ROOT } from './lib/servers';

const GROUPS = ['http', 'startup', 'copy', 'docker'] as const;
type Group = (typeof GROUPS)[number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
    tasks: { type: 'string', default: '1000000' },
    'large-mb': { type: 'string', default: '1024' },
  },
});

async function main(): Promise<void> {
  const groups = (positionals.length ? positionals : GROUPS) as Group[];
  for (const g of groups)
    if (!GROUPS.includes(g)) throw new Error(`unknown group ${g}; groups: ${GROUPS.join(', ')}`);
  const rounds = Math.max(3, Number(values.rounds));
  const seconds = Number(values.seconds);
  const started = Date.now();
  const paceAtStart = machinePace();
  // Elapsed minutes:seconds on every line: the whole run is meant to finish within 20 minutes.
  const log = (line: string) => console.error(`bench [${elapsed(Date.now() - started)}]: ${line}`);
  const figures: Figure[] = [];
  // Every temporary file of the run (SQLite sources up to 1 GB, the embedded server's data, the
  // compose env file) goes under one folder, TMPDIR for this process and what it spawns, which
  // the run removes at its end. Open to all as /tmp is: the server runs as the postgres user.
  const runTmp = mkdtempSync(join(tmpdir(), 'nest-tasks-bench-'));
  chmodSync(runTmp, 0o1777);
  process.env.TMPDIR = runTmp;
  try {
    if (groups.includes('http')) figures.push(...(await httpFigures({ rounds, seconds, log })));
    if (groups.includes('startup')) figures.push(...(await startupFigures(rounds, log)));
    if (groups.includes('copy')) {
      const tasks = Number(values.tasks);
      const largeMb = Number(values['large-mb']);
      figures.push(...(await copyFigures({ rounds, tasks, largeMb, log })));
    }
    if (groups.includes('docker')) figures.push(...(await dockerFigures(rounds, log)));
  } finally {
    await stopDatabases();
    rmSync(runTmp, { recursive: true, force: true });
  }
  const pace = { start: paceAtStart, end: machinePace() };
  const date = new Date().toISOString();
  const table = markdownTable(figures);
  const took = elapsed(Date.now() - started);
  const header = `Measured ${date.slice(0, 10)} on ${machineLine()}; ${rounds} alternating rounds after a warm-up; the run took ${took} (min:s); ${paceText(pace.start, pace.end)}.`;
  console.log(`\n${header}\n\n${table}\n`);
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'latest.json'),
    JSON.stringify(
      {
        date,
        machine: machineLine(),
        pace,
        groups,
        figures,
      },
      null,
      2,
    ),
  );
  if (values.write) writeBenchmarksMd(`${header}\n\n${table}`);
}

/** `m:ss` */
function elapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Replaces the results block of BENCHMARKS.md (between the bench markers). */
function writeBenchmarksMd(block: string): void {
  const path = join(ROOT, 'BENCHMARKS.md');
  const text = readFileSync(path, 'utf8');
  const start = '<!-- bench:results:start -->';
  const end = '<!-- bench:results:end -->';
  const before = text.slice(0, text.indexOf(start) + start.length);
  const after = text.slice(text.indexOf(end));
  writeFileSync(path, `${before}\n${block}\n${after}`);
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.message}`);
  process.exit(1);
});
