import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '@app/database';
import { spawnApi } from '../../../tools/testing/spawn-api';
import { DIALECTS, freshDatabaseEnv } from '../../../tools/testing/test-api';

const ROOT = join(__dirname, '../../..');

/** `npm run migration:<command>` from source (the TypeORM CLI on data-source.ts), with `env`. */
function migrationCommand(command: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('npm', ['run', '--silent', `migration:${command}`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('migrations at start-up', () => {
  it('three API processes on one empty PostgreSQL: all ready, each migration applied once', async () => {
    const env = await freshDatabaseEnv('postgres');
    const apis = await Promise.all([1, 2, 3].map(() => spawnApi(env)));
    try {
      await Promise.all(apis.map((api) => api.waitFor('/health', 200, 60_000)));
      const client = new Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      const { rows } = await client.query(
        'SELECT name, count(*)::int AS n FROM migrations GROUP BY name ORDER BY name',
      );
      await client.end();
      expect(rows).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ name: m.name, n: 1 })));
      const logs = apis.map((api) => api.output());
      expect(logs.filter((log) => log.includes('Applied migration'))).toHaveLength(1);
      for (const log of logs) {
        expect(log).not.toMatch(/error|duplicate key|already exists/i);
      }
    } finally {
      await Promise.all(apis.map((api) => api.stop()));
    }
  });

  it.each(DIALECTS)(
    '%s with DB_MIGRATIONS_RUN=false: 503 naming pending migrations until migration:run',
    async (dialect) => {
      const env = { ...(await freshDatabaseEnv(dialect)), DB_MIGRATIONS_RUN: 'false' };
      const migrations = dialect === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;
      const api = await spawnApi(env);
      try {
        await api.waitFor('/health/live');
        const before = await fetch(`${api.baseUrl}/health`);
        expect(before.status).toBe(503);
        const { detail } = (await before.json()) as { detail: string };
        expect(detail).toMatch(/migrations: pending migrations: /);
        for (const m of migrations) expect(detail).toContain(m.name);

        const run = await migrationCommand('run', env);
        expect(run).toMatchObject({ code: 0 });

        await api.waitFor('/health', 200);
        const show = await migrationCommand('show', env);
        expect(show.code).toBe(0);
        migrations.forEach((m, i) => expect(show.output).toContain(`[X] ${i + 1} ${m.name}`));
      } finally {
        await api.stop();
      }
    },
  );
});
