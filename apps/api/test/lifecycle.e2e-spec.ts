import { Client } from 'pg';
import Database from 'better-sqlite3';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { freePort } from '../../../tools/testing/free-port';
import { OwnPostgres, startOwnPostgres } from '../../../tools/testing/own-postgres';
import { spawnApi, SpawnedApi } from '../../../tools/testing/spawn-api';
import { fetchContract, freshDatabaseEnv } from '../../../tools/testing/test-api';

const SECRET = 'Sentinel-S3cret-7f3a';

/** Points TEST_DATABASE_URL's server at `database`, logging in with `password`. */
function urlWith(base: string, { password, database }: { password?: string; database?: string }) {
  const url = new URL(base);
  if (password) url.password = password;
  if (database) url.pathname = `/${database}`;
  return url.toString();
}

/** Every JSON log line the API wrote so far. */
function loggedLines(api: SpawnedApi) {
  return api
    .output()
    .split('\n')
    .filter((text) => text.startsWith('{'))
    .map((text) => JSON.parse(text) as Record<string, any>);
}

/**
 * The first JSON log line the API wrote for `requestId` (`req.id`, at any LOG_LEVEL), waited for
 * (stdout comes through a pipe).
 */
async function loggedLine(api: SpawnedApi, requestId: string) {
  for (let waited = 0; !api.output().includes(requestId) && waited < 5000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return loggedLines(api).find((logged) => logged.req?.id === requestId);
}

async function failedStart(env: Record<string, string>) {
  const started = Date.now();
  const api = await spawnApi({ DB_CONNECT_TIMEOUT_MS: '1000', ...env });
  const code = await api.exited;
  return { code, ms: Date.now() - started, output: api.output() };
}

describe('start-up failures', () => {
  const outputs: string[] = [];
  afterAll(() => {
    // Secrets never appear in anything the process printed, whatever went wrong.
    for (const output of outputs) expect(output).not.toContain(SECRET);
  });

  /** A start that must exit 1 at once (no retry), printing `text`. */
  async function expectFailsAtOnce(env: Record<string, string>, text: string | RegExp) {
    const result = await failedStart(env);
    outputs.push(result.output);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(text);
    expect(result.output).not.toMatch(/retry \d/);
    return result;
  }

  it('retries an unreachable server with backoff, then exits 1 naming host and port', async () => {
    const port = await freePort();
    const result = await failedStart({
      DB_TYPE: 'postgres',
      DATABASE_URL: `postgres://app:${SECRET}@127.0.0.1:${port}/app`,
      DB_CONNECT_RETRIES: '2',
    });
    outputs.push(result.output);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/retry 1\/2 in 500 ms/);
    expect(result.output).toMatch(/retry 2\/2 in 1000 ms/);
    expect(result.output).toContain(
      `Start-up failed: cannot reach PostgreSQL at 127.0.0.1:${port}`,
    );
    expect(result.output).toContain('ECONNREFUSED');
  });

  // PITFALLS 9: a process that will exit once its retries run out must not look alive meanwhile
  // (an orchestrator would keep it, and a liveness probe would pass through a crash loop).
  it('answers no probe, liveness included, while it retries the database', async () => {
    const api = await spawnApi({
      DB_TYPE: 'postgres',
      DATABASE_URL: `postgres://app:${SECRET}@127.0.0.1:${await freePort()}/app`,
      DB_CONNECT_TIMEOUT_MS: '1000',
      DB_CONNECT_RETRIES: '3',
    });
    try {
      for (let waited = 0; !/retry 2\/3/.test(api.output()) && waited < 20_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(api.output()).toMatch(/retry 2\/3/);
      for (const path of ['/health/live', '/health']) {
        const answer = await fetch(`${api.baseUrl}${path}`).then(
          (res) => res.status,
          (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
        );
        expect({ path, answer }).toEqual({ path, answer: 'ECONNREFUSED' });
      }
      expect(await api.exited).toBe(1);
      outputs.push(api.output());
    } finally {
      await api.stop('SIGKILL');
    }
  });

  // Our own server, with password authentication (SCRAM): TEST_DATABASE_URL may point at a
  // server that trusts every local connection (CI's second run does), where no password is
  // wrong or missing.
  describe('against a server that requires a password', () => {
    let own: OwnPostgres;
    beforeAll(async () => {
      own = await startOwnPostgres();
    });
    afterAll(() => own?.stop());

    it('fails at once, without retries, on a wrong password', async () => {
      await expectFailsAtOnce(
        {
          DB_TYPE: 'postgres',
          DATABASE_URL: urlWith(own.url(), { password: SECRET }),
          DB_CONNECT_RETRIES: '5',
        },
        'password authentication failed',
      );
    });

    it('fails at once on a URL without a password, naming the server and what to set', async () => {
      const url = new URL(own.url());
      url.password = '';
      const result = await expectFailsAtOnce(
        {
          DB_TYPE: 'postgres',
          DATABASE_URL: url.toString(),
          POSTGRES_PASSWORD: SECRET, // not read while DATABASE_URL is set, as the message says
          DB_CONNECT_RETRIES: '5',
        },
        `Start-up failed: the PostgreSQL server at 127.0.0.1:${own.port} asks for a password ` +
          'and none is configured: add it to DATABASE_URL',
      );
      // The line the user reads last; the logged error keeps pg's own one as its cause.
      expect(result.output.match(/^Start-up failed: .*$/m)?.[0]).not.toContain('SASL');
    });
  });

  it('fails at once on an unknown database ("timeouts" too) and on SSL the server does not offer', async () => {
    const unknown = (database: string) => ({
      DB_TYPE: 'postgres',
      DATABASE_URL: urlWith(process.env.TEST_DATABASE_URL!, { database }),
      DB_CONNECT_RETRIES: '5',
    });
    await expectFailsAtOnce(unknown('no_such_db'), 'database "no_such_db" does not exist');
    // The server's code (3D000) decides, not the /timeout/ the message matches.
    await expectFailsAtOnce(unknown('timeouts'), 'database "timeouts" does not exist');
    const ssl = `${process.env.TEST_DATABASE_URL}?sslmode=require`;
    await expectFailsAtOnce({ DB_TYPE: 'postgres', DATABASE_URL: ssl }, /does not support SSL/);
  });

  it('names no secret in a configuration error', async () => {
    const result = await failedStart({
      DB_TYPE: 'postgres',
      DATABASE_URL: `postgres://app:${SECRET}@127.0.0.1:1/app`,
      POSTGRES_PASSWORD: SECRET,
      DB_POOL_SIZE: 'many',
    });
    outputs.push(result.output);
    expect(result.code).toBe(1);
    expect(result.output).toContain('DB_POOL_SIZE');
  });
});

describe('graceful shutdown', () => {
  let api: SpawnedApi;

  afterEach(() => api?.stop('SIGKILL'));

  it('drains on SIGTERM: readiness 503, in-flight request completes, new connections refused, exit 0', async () => {
    const env = await freshDatabaseEnv('postgres');
    api = await spawnApi({
      ...env,
      SHUTDOWN_DRAIN_MS: '1500',
      SHUTDOWN_GRACE_MS: '10000',
      DB_STATEMENT_TIMEOUT_MS: '30000',
    });
    await api.waitFor('/health');
    const created = await fetch(`${api.baseUrl}/api/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-42' },
      body: JSON.stringify({ name: 'slow' }),
    }).then((r) => r.json() as Promise<{ id: number }>);

    // The test holds the row lock, so this update stays in flight until we let it go.
    const locker = new Client({ connectionString: env.DATABASE_URL });
    locker.on('error', () => undefined);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT * FROM projects WHERE id = $1 FOR UPDATE', [created.id]);
    const inFlight = fetch(`${api.baseUrl}/api/projects/${created.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'finished during shutdown' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    api.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ready = await fetch(`${api.baseUrl}/health`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ details: { shutdown: { status: 'down' } } });
    expect((await fetch(`${api.baseUrl}/health/live`)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 2000)); // past the drain delay
    await expect(fetch(`${api.baseUrl}/health/live`)).rejects.toThrow();
    expect(api.process.exitCode).toBeNull(); // still waiting for the in-flight request

    await locker.query('COMMIT');
    await locker.end();
    const response = await inFlight;
    const finished = Date.now();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ description: 'finished during shutdown' });
    expect(await api.exited).toBe(0);
    expect(api.output()).toContain('Server and database closed');
    // Once the last request is done the process exits: the keep-alive connection that carried
    // it, idle now, does not keep it waiting for the grace period (10 s) to end.
    expect(Date.now() - finished).toBeLessThan(5000);
    expect(api.output()).not.toContain('Grace period over');
    // Request logs are JSON lines carrying the client's request id.
    const logged = api
      .output()
      .split('\n')
      .filter((line) => line.includes('trace-me-42'))
      .map((line) => JSON.parse(line));
    expect(logged).toContainEqual(
      expect.objectContaining({ req: expect.objectContaining({ id: 'trace-me-42' }) }),
    );
    // Probes (this test polled /health and called /health/live) never write request lines.
    expect(api.output()).toContain('"url":"/api/');
    expect(api.output()).not.toContain('"url":"/health');
  });

  // Node counts a connection that has not sent a byte yet as busy (its first request's headers
  // are awaited), so neither server.close() nor closeIdleConnections() closes it. Node's fetch
  // (undici 6) opens such a connection right after an aborted request, and keeps it for the
  // server's keep-alive timeout (72 s): shutdown waited out the whole grace period for it.
  it('does not wait for a connection on which no request has begun (as after an aborted fetch)', async () => {
    const env = await freshDatabaseEnv('postgres');
    api = await spawnApi({
      ...env,
      SHUTDOWN_DRAIN_MS: '500',
      SHUTDOWN_GRACE_MS: '20000',
      DB_STATEMENT_TIMEOUT_MS: '30000',
    });
    await api.waitFor('/health');
    // The test holds the table, so the read waits until its client has given up.
    const locker = new Client({ connectionString: env.DATABASE_URL });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE projects IN ACCESS EXCLUSIVE MODE');
    const aborted = await fetch(`${api.baseUrl}/api/projects`, {
      signal: AbortSignal.timeout(300),
    }).catch((error: Error) => error);
    expect(aborted).toMatchObject({ name: 'TimeoutError' });
    await locker.query('ROLLBACK');
    await locker.end();
    // The same kind of connection opened on purpose, should a later undici open none.
    const silent = connect(api.port, '127.0.0.1');
    silent.on('error', () => undefined);
    await once(silent, 'connect');
    const silentClosed = once(silent, 'close');

    const signalled = Date.now();
    api.process.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(api.output()).toContain('Server and database closed');
    expect(api.output()).not.toContain('Grace period over');
    await silentClosed;
  });

  // A client that reuses its keep-alive connection for the next request would send it to a
  // server about to close that connection (or refusing it with a 503).
  it('answers Connection: close, with the full answer, to requests that arrive once draining has begun', async () => {
    const env = await freshDatabaseEnv('postgres');
    api = await spawnApi({
      ...env,
      SHUTDOWN_DRAIN_MS: '1500',
      SHUTDOWN_GRACE_MS: '20000',
      DB_STATEMENT_TIMEOUT_MS: '30000',
    });
    await api.waitFor('/health');
    const agent = new Agent({ keepAlive: true });
    /** A PATCH of project `id` on a keep-alive connection: its status, headers and body. */
    const patch = (id: number) =>
      new Promise<{ status?: number; connection?: string; body: string }>((resolve, reject) => {
        const sent = request(
          `${api.baseUrl}/api/projects/${id}`,
          { method: 'PATCH', agent, headers: { 'content-type': 'application/json' } },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode, connection: res.headers.connection, body }),
            );
          },
        );
        sent.on('error', reject);
        sent.end(JSON.stringify({ description: `finished ${id}` }));
      });
    const ids: number[] = [];
    for (const name of ['during drain', 'after close']) {
      const created = await fetch(`${api.baseUrl}/api/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      }).then((r) => r.json() as Promise<{ id: number }>);
      ids.push(created.id);
    }
    // One session per row, so that each PATCH is let go on its own.
    const lockers = await Promise.all(
      ids.map(async (id) => {
        const locker = new Client({ connectionString: env.DATABASE_URL });
        await locker.connect();
        await locker.query('BEGIN');
        await locker.query('SELECT * FROM projects WHERE id = $1 FOR UPDATE', [id]);
        return locker;
      }),
    );
    api.process.kill('SIGTERM');
    await api.waitFor('/health', 503);
    // Sent during the drain (still listening); each waits for its row's lock.
    const [duringDrain, afterClose] = ids.map(patch);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await lockers[0].query('COMMIT');
    await new Promise((resolve) => setTimeout(resolve, 2000)); // past the drain delay
    await lockers[1].query('COMMIT');
    await Promise.all(lockers.map((locker) => locker.end()));
    for (const [answer, id] of [
      [await duringDrain, ids[0]],
      [await afterClose, ids[1]],
    ] as const) {
      expect(answer).toMatchObject({ status: 200, connection: 'close' });
      expect(JSON.parse(answer.body)).toMatchObject({ id, description: `finished ${id}` });
    }
    agent.destroy();
    expect(await api.exited).toBe(0);
    expect(api.output()).not.toContain('Grace period over');
  });
});

describe('logs above LOG_LEVEL=info', () => {
  let api: SpawnedApi | undefined;
  afterEach(() => api?.stop());

  it('writes no request lines, and a server error still names its request id', async () => {
    const env = await freshDatabaseEnv('sqlite');
    api = await spawnApi({ ...env, LOG_LEVEL: 'warn' });
    await api.waitFor('/health');
    expect((await fetch(`${api.baseUrl}/api/projects`)).status).toBe(200);
    // A table gone under the running API: the next read of it is an unexpected 500.
    const db = new Database(env.SQLITE_PATH);
    db.exec('DROP TABLE "task_tags"');
    db.close();
    const failed = await fetch(`${api.baseUrl}/api/tasks/1`, {
      headers: { 'x-request-id': 'warn-trace-7', authorization: 'Bearer Token-secret-83' },
    });
    expect(failed.status).toBe(500);
    // With no request line, the error line is the one the request line would have been, with
    // the same fields: what reads the log (an alert on res.statusCode) works at any LOG_LEVEL.
    const line = await loggedLine(api, 'warn-trace-7');
    expect(line).toMatchObject({
      level: 50,
      req: {
        id: 'warn-trace-7',
        method: 'GET',
        url: '/api/tasks/1',
        remoteAddress: '127.0.0.1',
        userAgent: expect.any(String),
      },
      res: { statusCode: 500 },
      responseTime: expect.any(Number),
      err: { type: 'QueryFailedError', stack: expect.stringMatching(/^QueryFailedError: /) },
      msg: 'request errored',
    });
    expect(Object.keys(line!.req).sort()).toEqual(
      ['id', 'method', 'remoteAddress', 'url', 'userAgent'].sort(),
    );
    expect(Object.keys(line!.res)).toEqual(['statusCode']);
    const lines = loggedLines(api);
    expect(lines.filter((logged) => logged.msg === 'request completed')).toEqual([]);
    expect(lines.filter((logged) => logged.level >= 50)).toEqual([line]);
    expect(api.output()).not.toContain('Token-secret-83');
  });
});

describe('a request Node cannot parse as HTTP', () => {
  let api: SpawnedApi | undefined;
  afterEach(() => api?.stop());

  it('is logged at info with the request id it was answered with, not its bytes', async () => {
    api = await spawnApi(await freshDatabaseEnv('sqlite'));
    await api.waitFor('/health');
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(api!.port, '127.0.0.1', () =>
        socket.write(
          'GET /api/tags?q=\u00df HTTP/1.1\r\nHost: x\r\nCookie: sid=Raw-secret-84\r\n\r\n',
        ),
      );
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    const id = /\r\nx-request-id: ([0-9a-f-]{36})\r\n/.exec(answer)![1];
    expect(await loggedLine(api, id)).toMatchObject({
      level: 30,
      req: { id, remoteAddress: '127.0.0.1' },
      res: { statusCode: 400 },
      err: { code: expect.stringMatching(/^HPE_/) },
      msg: 'request refused',
    });
    expect(api.output()).not.toContain('Raw-secret-84');
  });
});

describe('an unexpected error', () => {
  let api: SpawnedApi | undefined;
  afterEach(() => api?.stop());

  it('logs its stack, secrets masked, and answers a bare 500 without it', async () => {
    const env = await freshDatabaseEnv('sqlite');
    api = await spawnApi({ ...env, LOG_LEVEL: 'warn' });
    await api.waitFor('/health');
    // A driver error no mapping knows, whose message quotes a URL with its password.
    const db = new Database(env.SQLITE_PATH);
    db.exec(`CREATE TRIGGER "refuse" BEFORE INSERT ON "projects"
      BEGIN SELECT RAISE(ABORT, 'see postgres://app:Sentinel-pw-42@db.example/tasks'); END`);
    db.close();
    const failed = await fetch(`${api.baseUrl}/api/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'stack-trace-9' },
      body: JSON.stringify({ name: 'Private-name-77' }),
    });
    expect(failed.status).toBe(500);
    const body = await failed.json();
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred',
    });
    // A client that knows only /docs-json knows this answer too.
    const contract = await fetchContract(api.baseUrl);
    const type = failed.headers.get('content-type') ?? '';
    expect(contract.check('POST', '/api/projects', 500, type, body)).toEqual([]);
    const line = await loggedLine(api, 'stack-trace-9');
    expect(line).toMatchObject({ level: 50, msg: 'request errored' });
    expect(line!.err).toMatchObject({
      type: 'QueryFailedError',
      message: expect.stringContaining('postgres://app:[REDACTED]@db.example/tasks'),
      stack: expect.stringMatching(/^QueryFailedError: [^]*\n\s+at /),
    });
    expect(line!.err.query).toMatch(/^INSERT INTO "projects"/);
    // The query's parameters are request data: not logged.
    expect(api.output()).not.toContain('Private-name-77');
    expect(api.output()).not.toContain('Sentinel-pw-42');
  });

  it('writes one error line: the request line, carrying the error', async () => {
    const env = await freshDatabaseEnv('sqlite');
    api = await spawnApi({ ...env, LOG_LEVEL: 'info' });
    await api.waitFor('/health');
    const db = new Database(env.SQLITE_PATH);
    db.exec(`CREATE TRIGGER "refuse" BEFORE INSERT ON "projects"
      BEGIN SELECT RAISE(ABORT, 'see postgres://app:Sentinel-pw-43@db.example/tasks'); END`);
    db.close();
    const failed = await fetch(`${api.baseUrl}/api/projects`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'one-line-5',
        authorization: 'Bearer Token-secret-81',
        cookie: 'sid=Cookie-secret-82',
      },
      body: JSON.stringify({ name: 'Private-name-79' }),
    });
    expect(failed.status).toBe(500);
    const line = await loggedLine(api, 'one-line-5');
    expect(line).toMatchObject({
      level: 50,
      req: { id: 'one-line-5', method: 'POST', url: '/api/projects' },
      res: { statusCode: 500 },
      responseTime: expect.any(Number),
    });
    expect(line!.err).toMatchObject({
      type: 'QueryFailedError',
      message: expect.stringContaining('postgres://app:[REDACTED]@db.example/tasks'),
      stack: expect.stringMatching(/^QueryFailedError: [^]*\n\s+at /),
    });
    // Operators count error lines: a failure is one of them, not two.
    expect(loggedLines(api).filter((logged) => logged.level >= 50)).toEqual([line]);
    expect(api.output()).not.toContain('Private-name-79');
    expect(api.output()).not.toContain('Sentinel-pw-43');
    // Request headers are not logged (the user agent aside): no credentials to redact.
    expect(api.output()).not.toMatch(/Token-secret-81|Cookie-secret-82/);
  });

  it('logs the error of a request whose client went away before the answer', async () => {
    const env = await freshDatabaseEnv('postgres');
    api = await spawnApi({ ...env, DB_STATEMENT_TIMEOUT_MS: '1000' });
    await api.waitFor('/health');
    // Another session holds the table: the API's read waits, then times out (503), by which
    // time its client (a proxy with a shorter timeout) has given up.
    const locker = new Client({ connectionString: env.DATABASE_URL });
    await locker.connect();
    const errorLine = () =>
      loggedLines(api!).find((logged) => logged.req?.id === 'gone-early-4' && logged.level >= 50);
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE projects IN ACCESS EXCLUSIVE MODE');
      const aborted = await fetch(`${api.baseUrl}/api/projects`, {
        headers: { 'x-request-id': 'gone-early-4' },
        signal: AbortSignal.timeout(300),
      }).catch((error: Error) => error);
      expect(aborted).toMatchObject({ name: 'TimeoutError' });
      for (let waited = 0; !errorLine() && waited < 5000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    // The abort's own line says nothing of the failure; the error gets its line all the same.
    expect(errorLine()).toMatchObject({
      req: { id: 'gone-early-4', method: 'GET', url: '/api/projects' },
      res: { statusCode: 503 },
      err: { type: 'QueryFailedError', stack: expect.stringMatching(/^QueryFailedError: /) },
      msg: 'request errored',
    });
    const text = api
      .output()
      .split('\n')
      .filter((line) => line.includes('"request errored"'));
    expect(text).toHaveLength(1);
    expect(text[0].split('"req":')).toHaveLength(2); // one req, not two
  });

  it.each(['warn', 'info'])(
    'logs no row data from a PostgreSQL constraint failure (its detail quotes the row), LOG_LEVEL=%s',
    async (logLevel) => {
      const env = await freshDatabaseEnv('postgres');
      api = await spawnApi({ ...env, LOG_LEVEL: logLevel });
      await api.waitFor('/health');
      // A CHECK no mapping knows (23514): PostgreSQL's detail says "Failing row contains (...)".
      const client = new Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      await client.query(`ALTER TABLE projects ADD CONSTRAINT "short" CHECK (length(name) < 10)`);
      await client.end();
      const failed = await fetch(`${api.baseUrl}/api/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'row-detail-3' },
        body: JSON.stringify({ name: 'Private-name-78', description: 'Private-notes-78' }),
      });
      expect(failed.status).toBe(500);
      const line = await loggedLine(api, 'row-detail-3');
      expect(line!.err).toMatchObject({ type: 'QueryFailedError', code: '23514' });
      expect(line!.err.message).toContain('violates check constraint "short"');
      // One stack, TypeORM's (where the query came from): the driver's own, pg's parser
      // frames, would double the line's size for every failing request during an outage.
      expect(line!.err.stack).toMatch(/^QueryFailedError: .*\n\s+at /);
      expect(line!.err.driverError).toMatchObject({ type: 'DatabaseError', code: '23514' });
      expect(line!.err.driverError).not.toHaveProperty('stack');
      expect(api.output()).not.toContain('Private-name-78');
      expect(api.output()).not.toContain('Private-notes-78');
    },
  );
});
