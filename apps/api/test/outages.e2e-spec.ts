import { copyFileSync, renameSync } from 'node:fs';
import { Client } from 'pg';
import { OwnPostgres, startOwnPostgres } from '../../../tools/testing/own-postgres';
import { freshDatabaseEnv, startApi, TestApi } from '../../../tools/testing/test-api';

/** A request with a hard client-side limit, and how long it took. */
async function timed(api: TestApi, method: string, path: string, body?: unknown) {
  const started = Date.now();
  const response = await fetch(api.baseUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : undefined,
    ms: Date.now() - started,
  };
}

async function eventually(api: TestApi, path: string, status: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await timed(api, 'GET', path).catch(() => undefined);
    if (response?.status === status) return response;
    if (Date.now() > deadline) throw new Error(`${path} never answered ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function expectUnavailable(api: TestApi, withinMs: number) {
  const ready = await timed(api, 'GET', '/health');
  expect(ready).toMatchObject({ status: 503, body: { details: { database: { status: 'down' } } } });
  expect(ready.ms).toBeLessThan(2000);
  expect((await timed(api, 'GET', '/health/live')).status).toBe(200);
  const read = await timed(api, 'GET', '/api/projects');
  expect(read).toMatchObject({ status: 503, type: expect.stringContaining('problem+json') });
  expect(read.ms).toBeLessThan(withinMs);
  // Both 503s are what the OpenAPI document says they are.
  for (const [path, { status, type, body }] of [
    ['/health', ready],
    ['/api/projects', read],
  ] as const) {
    expect(api.contract.check('GET', path, status, type, body)).toEqual([]);
  }
  const write = await timed(api, 'POST', '/api/projects', { name: `during outage ${Date.now()}` });
  expect(write.status).toBe(503);
}

describe('database outages on PostgreSQL (a throw-away server this test owns)', () => {
  let postgres: OwnPostgres;
  let api: TestApi;
  let production: TestApi;

  beforeAll(async () => {
    postgres = await startOwnPostgres();
    const url = await postgres.createDatabase('outages');
    api = await startApi({
      DB_TYPE: 'postgres',
      DATABASE_URL: url,
      DB_CONNECT_TIMEOUT_MS: '1000',
      DB_STATEMENT_TIMEOUT_MS: '2000',
    });
    production = await startApi({ DB_TYPE: 'postgres', DATABASE_URL: url, NODE_ENV: 'production' });
  }, 120_000);
  afterAll(async () => {
    await api?.close().catch(() => undefined);
    await production?.close().catch(() => undefined);
    await postgres?.stop();
  });

  it('answers 503, not 500, once its database has been dropped', async () => {
    const doomed = await startApi({
      DB_TYPE: 'postgres',
      DATABASE_URL: await postgres.createDatabase('dropped'),
      DB_CONNECT_TIMEOUT_MS: '1000',
    });
    try {
      expect((await timed(doomed, 'GET', '/api/projects')).status).toBe(200);
      const admin = new Client({ connectionString: postgres.url() });
      await admin.connect();
      await admin.query('DROP DATABASE dropped WITH (FORCE)').finally(() => admin.end());
      // Reconnecting now meets 3D000 (database does not exist): unavailable, like an outage.
      await expectUnavailable(doomed, 3000);
    } finally {
      await doomed.close();
    }
  });

  it('answers 503 fast while the server is stopped, and recovers without a restart', async () => {
    expect((await timed(api, 'POST', '/api/projects', { name: 'before' })).status).toBe(201);
    await postgres.halt();
    await expectUnavailable(api, 3000);
    // In production neither readiness nor errors show the driver's words.
    for (const path of ['/health', '/api/projects']) {
      const res = await timed(production, 'GET', path);
      expect(res.status).toBe(503);
      expect(JSON.stringify(res.body)).not.toMatch(/ECONN|connect|127\.0\.0\.1|terminat/i);
    }
    await postgres.start();
    await eventually(api, '/health', 200);
    expect((await timed(api, 'POST', '/api/projects', { name: 'after stop' })).status).toBe(201);
  });

  it('answers 503 within the timeouts while the server is paused (no packets answered)', async () => {
    await postgres.pause();
    try {
      // statement timeout 2 s + 1 s client-side margin: a paused server never answers.
      await expectUnavailable(api, 5000);
    } finally {
      await postgres.resume();
    }
    await eventually(api, '/health', 200);
    expect((await timed(api, 'POST', '/api/projects', { name: 'after pause' })).status).toBe(201);
    const list = await timed(api, 'GET', '/api/projects?q=after');
    expect(list.body.total).toBe(2);
  });
});

describe('pool exhaustion on PostgreSQL', () => {
  let api: TestApi;
  let url: string;

  beforeAll(async () => {
    ({ DATABASE_URL: url } = await freshDatabaseEnv('postgres'));
    api = await startApi({
      DB_TYPE: 'postgres',
      DATABASE_URL: url,
      DB_POOL_SIZE: '2',
      DB_CONNECT_TIMEOUT_MS: '1000',
      DB_STATEMENT_TIMEOUT_MS: '20000',
    });
  });
  afterAll(() => api.close());

  it('answers 503 quickly when every pooled connection is busy, then serves again', async () => {
    const ids: number[] = [];
    for (const name of ['locked one', 'locked two']) {
      ids.push((await timed(api, 'POST', '/api/projects', { name })).body.id);
    }
    const locker = new Client({ connectionString: url });
    locker.on('error', () => undefined);
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT * FROM projects WHERE id = ANY($1) FOR UPDATE', [ids]);
      // Two updates (of two rows) wait for the row locks, each holding one of the two connections.
      const waiting = ids.map((id) =>
        timed(api, 'PATCH', `/api/projects/${id}`, { description: `waited ${id}` }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const starved = await timed(api, 'GET', '/api/projects');
      expect(starved).toMatchObject({ status: 503, type: expect.stringContaining('problem+json') });
      expect(starved.ms).toBeLessThan(2500);
      await locker.query('ROLLBACK');
      expect((await Promise.all(waiting)).map((r) => r.status)).toEqual([200, 200]);
      expect((await timed(api, 'GET', '/api/projects')).status).toBe(200);
    } finally {
      await locker.end();
    }
  });
});

describe('database outages on SQLite', () => {
  let api: TestApi;
  let path: string;

  beforeAll(async () => {
    const env = await freshDatabaseEnv('sqlite');
    path = env.SQLITE_PATH;
    api = await startApi(env);
  });
  afterAll(() => api.close());

  it('is not ready while the database file is gone, and ready again once it is back', async () => {
    expect((await timed(api, 'GET', '/health')).status).toBe(200);
    renameSync(path, `${path}.away`);
    try {
      const ready = await timed(api, 'GET', '/health');
      expect(ready).toMatchObject({
        status: 503,
        body: { details: { database: { status: 'down' } } },
      });
      expect(ready.ms).toBeLessThan(2000);
      expect((await timed(api, 'GET', '/health/live')).status).toBe(200);
    } finally {
      renameSync(`${path}.away`, path);
    }
    expect((await timed(api, 'GET', '/health')).status).toBe(200);
  });
});

/** Creates projects until one is refused (or 5 s pass): how soon writes stop. */
async function firstRefusedWrite(api: TestApi) {
  const deadline = Date.now() + 5000;
  for (let n = 0; ; n++) {
    const created = await timed(api, 'POST', '/api/projects', { name: `while away ${n}` });
    if (created.status !== 201 || Date.now() > deadline) return created;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('writes while the SQLite file is gone', () => {
  it('are refused (503) within about a second, without a probe; once it is back they are not', async () => {
    const env = await freshDatabaseEnv('sqlite');
    const api = await startApi(env);
    const path = env.SQLITE_PATH;
    try {
      renameSync(path, `${path}.away`);
      try {
        expect(await firstRefusedWrite(api)).toMatchObject({
          status: 503,
          type: expect.stringContaining('application/problem+json'),
        });
        // Reads go on from the file the app opened.
        expect((await timed(api, 'GET', '/api/projects')).status).toBe(200);
      } finally {
        renameSync(`${path}.away`, path);
      }
      const deadline = Date.now() + 5000;
      let created = await timed(api, 'POST', '/api/projects', { name: 'back again' });
      while (created.status !== 201 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        created = await timed(api, 'POST', '/api/projects', { name: 'back again' });
      }
      expect(created.status).toBe(201);
    } finally {
      await api.close();
    }
  });
});

describe('a SQLite file replaced before the first readiness probe', () => {
  it('is not ready, and refuses writes: the app would write to the file it opened', async () => {
    const env = await freshDatabaseEnv('sqlite');
    const api = await startApi(env);
    const path = env.SQLITE_PATH;
    try {
      renameSync(path, `${path}.opened`);
      copyFileSync(`${path}.opened`, path);
      const ready = await timed(api, 'GET', '/health');
      expect(ready).toMatchObject({
        status: 503,
        body: { details: { database: { status: 'down' } } },
      });
      expect((await firstRefusedWrite(api)).status).toBe(503);
    } finally {
      await api.close();
    }
  });
});
