import { renameSync } from 'node:fs';
import { Client } from 'pg';
import { startOwnPostgres } from '../../../tools/testing/own-postgres';
import { spawnApi, SpawnedApi } from '../../../tools/testing/spawn-api';
import { freshDatabaseEnv } from '../../../tools/testing/test-api';

const SECRET = 'Sentinel-Ready-9c41';

interface LogLine {
  level: number;
  context?: string;
  msg?: string;
  req?: { id: string };
}

/** The JSON log lines the API wrote. */
function logLines(api: SpawnedApi): LogLine[] {
  return api
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The JSON log lines the API wrote under the `Readiness` context. */
function readinessLines(api: SpawnedApi): LogLine[] {
  return logLines(api).filter((line) => line.context === 'Readiness');
}

/** Probes readiness `times` times, each expected to answer `status`. */
async function probe(api: SpawnedApi, times: number, status: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(status);
  }
}

/** Waits for a recovery line (stdout arrives through a pipe), then returns every line. */
async function afterRecovery(api: SpawnedApi): Promise<LogLine[]> {
  for (let waited = 0; waited < 5000; waited += 50) {
    if (readinessLines(api).some((line) => line.msg?.includes('recovered'))) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return readinessLines(api);
}

describe('readiness logs once per change of state', () => {
  let api: SpawnedApi | undefined;
  afterEach(() => api?.stop('SIGKILL'));

  it('SQLite file gone for several probes: one warning naming the check and its cause, one recovery', async () => {
    const env = await freshDatabaseEnv('sqlite');
    api = await spawnApi(env);
    await api.waitFor('/health');
    renameSync(env.SQLITE_PATH, `${env.SQLITE_PATH}.away`);
    try {
      await probe(api, 5, 503);
    } finally {
      renameSync(`${env.SQLITE_PATH}.away`, env.SQLITE_PATH);
    }
    await probe(api, 3, 200);

    const lines = await afterRecovery(api);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 40 });
    expect(lines[0].msg).toMatch(/^Readiness lost: database: /);
    expect(lines[0].msg).toContain(env.SQLITE_PATH); // outside production: the driver's cause
    expect(lines[1]).toMatchObject({ level: 30 });
    expect(lines[1].msg).toMatch(/^Readiness recovered after \d+\.\d s$/);
    // Terminus's own per-probe error log is off, and the error filter logs no failed probe.
    expect(api.output()).not.toContain('Health Check has failed');
    expect(logLines(api).filter((line) => line.level >= 50)).toEqual([]);
  });

  it('PostgreSQL login refused in production: says only that the database is unavailable', async () => {
    const { DATABASE_URL } = await freshDatabaseEnv('postgres');
    const database = new URL(DATABASE_URL).pathname.slice(1);
    const role = `e2e_${process.env.TEST_RUN_ID}_ready_${process.pid}`;
    const admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${SECRET}'`);
      await admin.query(`ALTER DATABASE "${database}" OWNER TO ${role}`);
      await admin.query(`GRANT ALL ON SCHEMA public TO ${role}`);
      const url = new URL(DATABASE_URL);
      url.username = role;
      url.password = SECRET;
      api = await spawnApi({
        DB_TYPE: 'postgres',
        DATABASE_URL: url.toString(),
        NODE_ENV: 'production',
        DB_CONNECT_TIMEOUT_MS: '1000',
      });
      await api.waitFor('/health');

      await admin.query(`ALTER ROLE ${role} NOLOGIN`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1',
        [role],
      );
      await probe(api, 5, 503);
      await admin.query(`ALTER ROLE ${role} LOGIN`);
      await api.waitFor('/health');
      await probe(api, 2, 200);
    } finally {
      await admin.end();
    }

    const lines = await afterRecovery(api);
    expect(lines.map((line) => line.level)).toEqual([40, 30]);
    expect(lines[0].msg).toMatch(
      /^Readiness lost: database: unavailable(; migrations: unavailable)?$/,
    );
    expect(lines[1].msg).toMatch(/^Readiness recovered after /);
    expect(api.output()).not.toContain(SECRET);
    expect(api.output()).not.toContain('Health Check has failed');
  });

  it('PostgreSQL paused in production: names the ping timeout, and a failed request is one line', async () => {
    const postgres = await startOwnPostgres();
    try {
      api = await spawnApi({
        DB_TYPE: 'postgres',
        DATABASE_URL: await postgres.createDatabase('paused_readiness'),
        NODE_ENV: 'production',
        DB_CONNECT_TIMEOUT_MS: '1000',
        DB_STATEMENT_TIMEOUT_MS: '1000',
      });
      await api.waitFor('/health');
      await postgres.pause();
      try {
        await probe(api, 3, 503);
        for (const id of ['paused-1', 'paused-2']) {
          const headers = { 'x-request-id': id };
          expect((await fetch(`${api.baseUrl}/api/projects`, { headers })).status).toBe(503);
        }
      } finally {
        await postgres.resume();
      }
      await api.waitFor('/health');
      const lines = await afterRecovery(api);
      expect(lines.map((line) => line.level)).toEqual([40, 30]);
      // A server that does not answer: no driver message, the ping's own timeout.
      expect(lines[0].msg).toMatch(
        /^Readiness lost: database: timeout of 1000ms exceeded(; migrations: timeout of 1000ms exceeded)?$/,
      );
      // No flood: one error line per failed request, none from the pool or the probes.
      const errors = logLines(api).filter((line) => line.level >= 50);
      expect(errors.map((line) => line.req?.id)).toEqual(['paused-1', 'paused-2']);
    } finally {
      await api?.stop('SIGKILL');
      await postgres.stop();
    }
  }, 90_000);
});
