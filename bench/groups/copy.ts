import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../lib/databases';
import { compare, Figure } from '../lib/figure';
import {
  copyWithCli,
  copyWithPgloader,
  copyWithPipe,
  ensureCommand,
  migrateTarget,
} from '../lib/copy-tools';
import { buildSource, sourceRows } from '../lib/source';
import { rotate, summarize } from '../lib/stats';

export interface CopyOptions {
  rounds: number;
  /** Tasks in the P3 source (>= 1 M for the published figure). */
  tasks: number;
  /** Approximate size of the large P4 source, in MB. */
  largeMb: number;
  log: (line: string) => void;
}

/** P3 (rows/s against a sqlite3|psql pipe and pgloader) and P4 (peak RSS, flat as size grows). */
export async function copyFigures(options: CopyOptions): Promise<Figure[]> {
  ensureCommand('sqlite3');
  ensureCommand('psql', 'postgresql-client');
  ensureCommand('pgloader');
  const dir = mkdtempSync(join(tmpdir(), 'bench-copy-'));
  const source = join(dir, 'source.sqlite');
  options.log(`P3 building a source with ${options.tasks} tasks`);
  await buildSource(source, options.tasks, 40);
  const rows = sourceRows(source);
  let round = 0;
  const target = async () => {
    const { DATABASE_URL } = await freshDatabase('postgres', `copy_${Date.now()}_${++round}`);
    await migrateTarget(DATABASE_URL);
    return DATABASE_URL;
  };
  const rate = (ms: number) => rows / (ms / 1000);

  // The three tools in rotating order each round, so drift on a noisy machine hits all alike.
  const copyPhase: number[] = [];
  const logged = (tool: string, copy: () => Promise<number>) => {
    let run = 0;
    return () => {
      options.log(`P3 round ${++run}/${options.rounds}: ${tool}`);
      return copy();
    };
  };
  const [pipe, ours, pgloader] = await rotate(options.rounds, 0, [
    logged('pipe', async () => rate(copyWithPipe(source, await target()))),
    logged('ours', async () => {
      const run = copyWithCli(source, await target());
      copyPhase.push(rate(run.copyMs));
      return rate(run.ms);
    }),
    logged('pgloader', async () => rate(copyWithPgloader(source, await target()))),
  ]);
  const what = `db:copy rows/s, ${rows.toLocaleString('en-US')} rows (whole command)`;
  const figures = [
    compare(
      {
        id: 'P3',
        what,
        unit: 'rows/s',
        baseline: pipe,
        baselineName: 'sqlite3 -csv | psql \\copy',
        subject: ours,
        target: '>= 80% of the pipe',
        note: `whole command = preflight, migrate, copy, verify; copy phase alone: ${Math.round(summarize(copyPhase).median).toLocaleString('en-US')} rows/s`,
      },
      (r) => r >= 0.8,
    ),
    compare(
      {
        id: 'P3',
        what,
        unit: 'rows/s',
        baseline: pgloader,
        baselineName: 'pgloader (data only)',
        subject: ours,
        target: '>= 3x pgloader',
      },
      (r) => r >= 3,
    ),
  ];

  for (const mb of [Math.round(options.largeMb / 4), options.largeMb]) {
    const path = join(dir, `large-${mb}.sqlite`);
    options.log(`P4 building a ~${mb} MB source`);
    // A task with 1 KB notes takes about 4.2 KB on disk (notes, their case-folded copy, pages).
    const bytes = await buildSource(path, Math.round((mb * 1024 * 1024) / 4200), 1000);
    const peaks: number[] = [];
    for (let i = 0; i < 2; i++) peaks.push(copyWithCli(path, await target()).peakMb);
    figures.push(
      compare(
        {
          id: 'P4',
          what: `db:copy peak RSS, ${Math.round(bytes / 2 ** 20)} MB source`,
          unit: 'MB',
          subject: summarize(peaks),
          target: '<= 200 MB',
        },
        (value) => value <= 200,
      ),
    );
  }
  return figures;
}
