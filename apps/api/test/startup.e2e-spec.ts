import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../../tools/testing/free-port';
import { freshDatabaseEnv } from '../../../tools/testing/test-api';
import { spawnApi } from '../../../tools/testing/spawn-api';

/** A TCP listener that counts connection attempts: proof that nothing dialled the database. */
async function connectionCounter(): Promise<{ port: number; count: () => number; server: Server }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, count: () => count, server };
}

describe('API process start-up and shutdown', () => {
  it('exits 1 on invalid config before any connection attempt, naming each variable', async () => {
    const db = await connectionCounter();
    const started = Date.now();
    const api = await spawnApi({
      DB_TYPE: 'postgres',
      POSTGRES_HOST: '127.0.0.1',
      POSTGRES_PORT: String(db.port),
      POSTGRES_USER: 'app',
      POSTGRES_DB: 'app',
    });
    try {
      expect(await api.exited).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(api.output()).toContain('POSTGRES_PASSWORD: required when DB_TYPE=postgres');
      expect(db.count()).toBe(0);
    } finally {
      // Also when an assertion fails: an open listener would keep Jest from exiting.
      db.server.close();
    }
  });

  it('says where it listens; a port in use stops it, naming the address', async () => {
    const env = await freshDatabaseEnv('sqlite');
    const first = await spawnApi(env);
    try {
      await first.waitFor('/health');
      expect(first.output()).toContain(`Listening on http://127.0.0.1:${first.port}`);
      const second = await spawnApi({ ...env, PORT: String(first.port) });
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(
        `Start-up failed: 127.0.0.1:${first.port} is in use by another process`,
      );
      expect(second.output()).not.toContain('Listening on');
    } finally {
      await first.stop();
    }
  });

  it('names HOST when it is no address of this machine', async () => {
    const env = await freshDatabaseEnv('sqlite');
    for (const [host, reason] of [
      ['http://0.0.0.0', 'getaddrinfo ENOTFOUND http://0.0.0.0'],
      ['192.0.2.1', 'listen EADDRNOTAVAIL: address not available 192.0.2.1'],
    ]) {
      const api = await spawnApi({ ...env, HOST: host });
      expect(await api.exited).toBe(1);
      expect(api.output()).toContain(`Start-up failed: cannot listen on HOST=${host}: ${reason}`);
      expect(api.output()).toContain(
        'set HOST to an address of this machine (0.0.0.0: all of them; 127.0.0.1: this machine only; :: for IPv6 too)',
      );
    }
  });

  it('rejects POSTGRES_PORT=abc', async () => {
    const api = await spawnApi({
      DB_TYPE: 'postgres',
      DATABASE_URL: 'postgres://u:p@127.0.0.1/x',
      POSTGRES_PORT: 'abc',
    });
    expect(await api.exited).toBe(1);
    expect(api.output()).toMatch(/POSTGRES_PORT: expected a whole number/);
  });

  it('exits non-zero after bounded retries when PostgreSQL is unreachable, naming host and port', async () => {
    const closedPort = await freePort();
    const api = await spawnApi({
      DB_TYPE: 'postgres',
      DATABASE_URL: `postgres://app:hunter2-secret@127.0.0.1:${closedPort}/app`,
      DB_CONNECT_RETRIES: '1',
    });
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain(`127.0.0.1:${closedPort}`);
    expect(api.output()).not.toContain('hunter2-secret');
  });

  it('exits 1 naming the SQLite file and a folder its user may not write', async () => {
    // Root writes into any folder, so as root the API runs as nobody (65534), as the image runs
    // as node (1000) beside a bind-mounted folder that Docker created for root.
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-readonly-'));
    chmodSync(dir, 0o755);
    const data = join(dir, 'data');
    mkdirSync(data);
    chmodSync(data, 0o555);
    const asRoot = process.getuid?.() === 0;
    const api = await spawnApi(
      { DB_TYPE: 'sqlite', SQLITE_PATH: join(data, 'app.sqlite') },
      undefined,
      asRoot ? { uid: 65534, gid: 65534 } : undefined,
    );
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain(
      `Start-up failed: cannot open SQLite database ${join(data, 'app.sqlite')}: the folder ` +
        `${data} is not writable by uid ${asRoot ? 65534 : process.getuid?.()}: chown it`,
    );
    expect(api.output()).toContain('or use a named volume (unable to open database file)');
  });

  it('exits 1 naming the SQLite file and the path part that is a file, not a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-file-parent-'));
    const notAFolder = join(dir, 'not-a-folder');
    writeFileSync(notAFolder, '');
    const path = join(notAFolder, 'data', 'app.sqlite');
    const api = await spawnApi({ DB_TYPE: 'sqlite', SQLITE_PATH: path });
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain(
      `Start-up failed: cannot open SQLite database ${path}: ${notAFolder} is a file, not a folder`,
    );
  });

  it('exits 1 naming a SQLITE_PATH that is no SQLite database', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sqlite-not-db-')), 'notes.txt');
    writeFileSync(path, 'these are notes, not a database '.repeat(200));
    const api = await spawnApi({ DB_TYPE: 'sqlite', SQLITE_PATH: path });
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain(
      `Start-up failed: cannot open SQLite database ${path}: file is not a database`,
    );
  });

  it('warns at start of a variable that looks like its own but has no effect', async () => {
    const api = await spawnApi({ ...(await freshDatabaseEnv('sqlite')), POSTGRES_HOSTNAME: 'db' });
    try {
      await api.waitFor('/health');
      expect(api.output()).toContain(
        'POSTGRES_HOSTNAME in the environment is not a variable this app reads, so it has no effect (did you mean POSTGRES_HOST?)',
      );
      expect(await api.stop('SIGTERM')).toBe(0);
    } finally {
      await api.stop('SIGKILL');
    }
  });

  it('serves on SQLite, keeps data across a restart and exits 0 on SIGTERM', async () => {
    const env = await freshDatabaseEnv('sqlite');
    const first = await spawnApi(env);
    await first.waitFor('/health');
    const created = await fetch(`${first.baseUrl}/api/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Survives restarts' }),
    }).then((r) => r.json() as Promise<{ id: number }>);
    expect(await first.stop('SIGTERM')).toBe(0);
    // The start-up log says which database, and what the migrations did.
    expect(first.output()).toContain(`"msg":"Database: SQLite ${env.SQLITE_PATH}"`);
    expect(first.output()).toContain('"msg":"Applied migration ');

    const second = await spawnApi(env);
    await second.waitFor('/health/live');
    const read = await fetch(`${second.baseUrl}/api/projects/${created.id}`).then((r) => r.json());
    expect(read).toEqual(created);
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(second.output()).toContain('"msg":"No pending migrations"');
    expect(second.output()).not.toContain('Applied migration');
  });

  it('keeps starting and serving when its log reader goes away before the first line', async () => {
    // `npm start | head -c 200`: pino drops lines once stdout is a broken pipe; Nest's start-up
    // logger wrote to it directly, and the EPIPE crashed the API mid-bootstrap.
    const api = await spawnApi(await freshDatabaseEnv('sqlite'));
    api.process.stdout?.destroy();
    try {
      await api.waitFor('/health');
      expect(await api.stop('SIGTERM')).toBe(0);
      expect(api.output()).not.toContain('EPIPE');
    } finally {
      await api.stop('SIGKILL');
    }
  });

  it('connects to PostgreSQL from POSTGRES_* parts with an awkward password given as a file', async () => {
    const { DATABASE_URL } = await freshDatabaseEnv('postgres');
    const url = new URL(DATABASE_URL);
    const password = 'p@ss:w/rd%#';
    const role = `e2e_${process.env.TEST_RUN_ID}_role_${process.pid}`;
    const admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await admin.query(`GRANT ALL ON SCHEMA public TO ${role}`);
    await admin.query(`ALTER DATABASE "${url.pathname.slice(1)}" OWNER TO ${role}`);
    await admin.end();

    const passwordFile = join(mkdtempSync(join(tmpdir(), 'secret-')), 'pw');
    writeFileSync(passwordFile, `${password}\n`);
    const api = await spawnApi({
      DB_TYPE: 'postgres',
      POSTGRES_HOST: url.hostname,
      POSTGRES_PORT: url.port || '5432',
      POSTGRES_USER: role,
      POSTGRES_PASSWORD_FILE: passwordFile,
      POSTGRES_DB: url.pathname.slice(1),
    });
    await api.waitFor('/health');
    const res = await fetch(`${api.baseUrl}/api/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'On PostgreSQL' }),
    });
    expect(res.status).toBe(201);
    expect(await api.stop('SIGTERM')).toBe(0);
    expect(api.output()).not.toContain(password);
    expect(api.output()).toContain(
      `"msg":"Database: PostgreSQL at ${url.hostname}:${url.port || '5432'}, ` +
        `database ${url.pathname.slice(1)}, user ${role}"`,
    );
  });
});
