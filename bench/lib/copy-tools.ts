import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_ENV, apiArgs, ROOT, startServer } from './servers';

/** The domain tables in foreign-key order, with their columns. */
export const TABLES: Record<string, string[]> = {
  projects: ['id', 'name', 'nameKey', 'description', 'archived', 'createdAt', 'updatedAt'],
  tags: ['id', 'name', 'nameKey', 'color'],
  tasks: [
    'id',
    'projectId',
    'title',
    'notes',
    'searchKey',
    'status',
    'priority',
    'dueAt',
    'estimateHours',
    'metadata',
    'createdAt',
    'updatedAt',
  ],
  task_tags: ['taskId', 'tagId'],
};

/** Installs a Debian package's command when missing (the bench runs as root on these machines). */
export function ensureCommand(command: string, pkg = command): void {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status === 0) return;
  console.error(`bench: installing ${pkg} from Debian`);
  execFileSync(
    'sh',
    [
      '-c',
      `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg} >/dev/null`,
    ],
    { stdio: 'inherit' },
  );
}

/** Migrates an empty PostgreSQL database with the app's own migrations. */
export async function migrateTarget(databaseUrl: string): Promise<void> {
  const app = await startServer(apiArgs(), {
    ...APP_ENV,
    DB_TYPE: 'postgres',
    DATABASE_URL: databaseUrl,
    DB_MIGRATIONS_RUN: 'true',
  });
  await app.stop();
}

function timed(run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Baseline: `sqlite3 -csv | psql \copy`, table by table, into the migrated target. ms. */
export function copyWithPipe(source: string, target: string): number {
  return timed(() => {
    for (const [table, columns] of Object.entries(TABLES)) {
      const cols = columns.map((c) => `"${c}"`).join(', ');
      const script = `sqlite3 -csv -batch '${source}' 'SELECT ${cols.replace(/'/g, "''")} FROM "${table}"' | psql -q -v ON_ERROR_STOP=1 '${target}' -c '\\copy "${table}"(${cols}) FROM STDIN WITH (FORMAT csv)'`;
      execFileSync('sh', ['-c', script], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, PGTZ: 'UTC' },
      });
    }
  });
}

/** Baseline: pgloader with data-only settings into the migrated target. ms. */
export function copyWithPgloader(source: string, target: string): number {
  const load = join(tmpdir(), `bench-${process.pid}.load`);
  writeFileSync(
    load,
    `LOAD DATABASE
  FROM sqlite://${source}
  INTO ${target}
  WITH data only, quote identifiers, disable triggers, reset sequences, batch rows = 25000, prefetch rows = 25000
  SET timezone = 'UTC'
  EXCLUDING TABLE NAMES LIKE 'migrations', 'sqlite_sequence';
`,
  );
  return timed(() =>
    execFileSync('pgloader', ['--quiet', load], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
}

/**
 * Ours: the built CLI's db:copy (preflight, migrate, copy, verify). Returns wall ms, the copy
 * phase's ms (the tables' COPY time as db:copy reports it) and peak RSS in MB (GNU time).
 */
export function copyWithCli(
  source: string,
  target: string,
): { ms: number; copyMs: number; peakMb: number } {
  const args = ['dist/apps/cli/src/main.js', 'db:copy', '--json', '--from', source, '--to', target];
  let result: ReturnType<typeof spawnSync> | undefined;
  const ms = timed(() => {
    result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production' },
      encoding: 'utf8',
    });
  });
  const { status, stdout, stderr } = result as { status: number; stdout: string; stderr: string };
  if (status !== 0) throw new Error(`db:copy failed: ${stdout}\n${stderr}`);
  const report = JSON.parse(stdout) as { copied: { ms: number }[] };
  const copyMs = report.copied.reduce((sum, table) => sum + table.ms, 0);
  const peakKb = Number(stderr.trim().split('\n').pop());
  return { ms, copyMs, peakMb: peakKb / 1024 };
}
