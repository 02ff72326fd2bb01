import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freshDatabaseEnv, startApi } from '../../../tools/testing/test-api';
import { pgCounts, sqliteCounts } from './cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '../../..');
const TASKS = 24_000;
const NOTE_BYTES = 8_000;
/** Peak RSS the CLI (from source, through @swc-node/register) may reach, in MB. */
const PEAK_LIMIT_MB = 320;

/**
 * db:copy with its peak RSS: exit code, output and peak RSS (MB) of the CLI process itself,
 * which reports it as it exits. The verification is part of the command, so its reads count too.
 */
function measuredCopy(from: string, to: string) {
  const child = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      '-r',
      './tools/testing/report-peak-rss.ts',
      'apps/cli/src/main.ts',
      'db:copy',
      '--from',
      from,
      '--to',
      to,
    ],
    { cwd: ROOT, env: { PATH: process.env.PATH, NODE_ENV: 'test' }, stdio: 'pipe' },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string; peakMb: number }>(
    (resolve) =>
      child.once('exit', (code) => {
        const peakKb = Number(/peak-kb=(\d+)/.exec(stderr)?.[1]);
        resolve({
          code,
          stdout,
          stderr: stderr.replace(/peak-kb=\d+\n?/, ''),
          peakMb: peakKb / 1024,
        });
      }),
  );
}

/**
 * PITFALLS 46: a copy streams each table. A source several times the memory limit (24,000 tasks
 * with 8 KB of incompressible notes, and their search key: ~400 MB) is copied and verified in
 * bounded memory; a copier that held a table, or its rows' hashes with their text, would not be.
 */
describe('db:copy memory on a large source', () => {
  it(`copies and verifies a ~400 MB source with a peak RSS under ${PEAK_LIMIT_MB} MB, table by table`, async () => {
    const env = await freshDatabaseEnv('sqlite');
    await (await startApi(env)).close(); // the app's migrations create the schema
    const db = new Database(env.SQLITE_PATH);
    db.exec(`INSERT INTO projects (name, nameKey, archived, createdAt, updatedAt)
             VALUES ('Big', 'big', 0, '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`);
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${TASKS}),
                  t(i, notes) AS (SELECT i, lower(hex(randomblob(${NOTE_BYTES / 2}))) FROM n)
      INSERT INTO tasks (projectId, title, notes, searchKey, createdAt, updatedAt)
      SELECT 1, 'Big ' || i, notes, 'big ' || i || char(10) || notes,
             '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000' FROM t`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const sourceMb = statSync(env.SQLITE_PATH).size / 2 ** 20;
    expect(sourceMb).toBeGreaterThan(PEAK_LIMIT_MB);

    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const copy = await measuredCopy(env.SQLITE_PATH, url);
    expect({ code: copy.code, stderr: copy.stderr }).toEqual({ code: 0, stderr: '' });
    expect(copy.stdout).toContain('Verification passed');
    // Progress, table by table, in foreign-key order.
    const progress = ['projects', 'tasks'].map((table) =>
      copy.stdout.search(new RegExp(`^${table}: copying`, 'm')),
    );
    expect(progress.every((index) => index >= 0)).toBe(true);
    expect(progress[0]).toBeLessThan(progress[1]);
    expect(await pgCounts(url)).toEqual(sqliteCounts(env.SQLITE_PATH));
    expect(copy.peakMb).toBeLessThan(PEAK_LIMIT_MB);
  });
});
