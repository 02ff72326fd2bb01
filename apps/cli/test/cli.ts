import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { readSqlite } from '../../../tools/testing/read-sqlite';

const ROOT = join(__dirname, '../../..');

export interface CliResult {
  code: number | string;
  stdout: string;
  stderr: string;
}

/**
 * Starts the CLI from source as a child process (the same entry point `npm run db:copy` uses),
 * with `env` as its only variables besides PATH and NODE_ENV, as the user `as` when given.
 */
export function spawnCli(
  args: string[],
  env: Record<string, string> = {},
  as?: { uid: number; gid: number },
): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...as,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const result = new Promise<CliResult>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code: code ?? signal ?? -1, stdout, stderr })),
  );
  return { child, result };
}

export const runCli = (...args: string[]) => spawnCli(args).result;

export async function withPg<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Row counts of the domain tables, or null for a table that does not exist. */
export async function pgCounts(url: string): Promise<Record<string, number | null>> {
  return withPg(url, async (client) => {
    const counts: Record<string, number | null> = {};
    for (const table of ['projects', 'tags', 'tasks', 'task_tags']) {
      const { rows } = await client.query('SELECT to_regclass($1) AS t', [`"${table}"`]);
      counts[table] = rows[0].t
        ? (await client.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n
        : null;
    }
    return counts;
  });
}

export function sqliteCounts(path: string): Record<string, number> {
  return readSqlite(path, (db) =>
    Object.fromEntries(
      ['projects', 'tags', 'tasks', 'task_tags'].map((t) => [
        t,
        db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number,
      ]),
    ),
  );
}

/** A copy of `path` for a test that changes it. */
export function cloneSqlite(path: string, suffix: string): string {
  const target = `${path}.${suffix}.sqlite`;
  copyFileSync(path, target);
  return target;
}
