import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { MIGRATION_LOCK_ID, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '@app/database';
import { freePort } from '../../../tools/testing/free-port';
import { OwnPostgres, startOwnPostgres } from '../../../tools/testing/own-postgres';
import { readSqlite } from '../../../tools/testing/read-sqlite';
import { spawnApi } from '../../../tools/testing/spawn-api';
import { DIALECTS, freshDatabaseEnv } from '../../../tools/testing/test-api';

const ROOT = join(__dirname, '../../..');

/** Called with everything a command has printed so far, whenever it prints. */
type OnOutput = (output: string) => void;

/** `npm run migration:<command>` from source (the TypeORM CLI on data-source.ts), with `env`. */
function migrationCommand(command: string, env: Record<string, string>, onOutput?: OnOutput) {
  return npmRun([`migration:${command}`], env, onOutput);
}

function npmRun(args: string[], env: Record<string, string>, onOutput?: OnOutput) {
  return runIn('npm', ['run', '--silent', ...args], env, onOutput);
}

/** The migrate one-shot (`launch.js migrate` in production), from source, with `env`. */
function migrateOneShot(env: Record<string, string>, onOutput?: OnOutput) {
  return runIn(
    process.execPath,
    ['-r', '@swc-node/register', 'apps/api/src/migrate.ts'],
    env,
    onOutput,
  );
}

/** Runs `command` in the repository with only PATH and `env`; its exit code and all output. */
function runIn(command: string, args: string[], env: Record<string, string>, onOutput?: OnOutput) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH, ...env } });
    let output = '';
    const append = (chunk: Buffer) => {
      output += chunk;
      onOutput?.(output);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** What a migration run prints while another connection holds the lock it needs. */
const LOCK_NOTICE = 'waiting for the migration lock';

type Result = Awaited<ReturnType<typeof runIn>>;

/** Takes SQLite's write lock on `path` (a new file is created in WAL mode, as the app makes it). */
function holdSqliteWriteLock(path: string): Database.Database {
  const holder = new Database(path);
  holder.pragma('journal_mode = WAL');
  holder.exec('BEGIN IMMEDIATE');
  return holder;
}

/**
 * Starts every run while this process holds SQLite's write lock on `path`, as another writer
 * would: each run gets as far as it can
 * without writing, so both have read the migrations table before either can apply anything.
 * The lock is let go once every run says that it waits for it, or after 20 s (a run that waits
 * without saying so), then the runs finish.
 */
async function startWhileWriteLockHeld(
  path: string,
  starts: ((onOutput: OnOutput) => Promise<Result>)[],
): Promise<Result[]> {
  const holder = holdSqliteWriteLock(path);
  let timer: NodeJS.Timeout | undefined;
  try {
    let waiting = 0;
    let everyRunWaits!: () => void;
    const told = new Promise<void>((resolve) => (everyRunWaits = resolve));
    const runs = starts.map((start) => {
      let said = false;
      return start((output) => {
        if (said || !output.includes(LOCK_NOTICE)) return;
        said = true;
        if (++waiting === starts.length) everyRunWaits();
      });
    });
    const fallback = new Promise<void>((resolve) => (timer = setTimeout(resolve, 20_000)));
    await Promise.race([told, Promise.all(runs), fallback]);
    holder.exec('ROLLBACK');
    return await Promise.all(runs);
  } finally {
    clearTimeout(timer);
    if (holder.inTransaction) holder.exec('ROLLBACK');
    holder.close();
  }
}

/** Each row of a SQLite file's migrations table, counted by name, in the order applied. */
function sqliteMigrationRows(path: string) {
  return readSqlite(path, (db) =>
    db.prepare('SELECT name, count(*) AS n FROM migrations GROUP BY name ORDER BY min(id)').all(),
  );
}

/** A SQLite file's tables, indexes and their SQL. */
function sqliteSchema(path: string) {
  return readSqlite(path, (db) =>
    db
      .prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
      )
      .all(),
  );
}

let referenceSchema: unknown[] | undefined;

/** The schema of a SQLite file migrated by one run alone. */
async function sqliteSchemaAfterOneRun(): Promise<unknown[]> {
  if (!referenceSchema) {
    const env = await freshDatabaseEnv('sqlite');
    expect(await migrateOneShot(env)).toMatchObject({ code: 0 });
    referenceSchema = sqliteSchema(env.SQLITE_PATH);
  }
  return referenceSchema;
}

/**
 * A new SQLite file whose runs wait `busyTimeoutMs` for its lock: by default longer than
 * `startWhileWriteLockHeld` holds it, so a run fails only by what it does once it has it.
 */
async function freshSqliteEnv(busyTimeoutMs = 60_000): Promise<Record<string, string>> {
  return {
    ...(await freshDatabaseEnv('sqlite')),
    SQLITE_BUSY_TIMEOUT_MS: String(busyTimeoutMs),
  };
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
        'SELECT name, count(*)::int AS n FROM migrations GROUP BY name ORDER BY min(id)',
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
    '%s in production with DB_MIGRATIONS_RUN=false: a warning and 503s naming pending migrations and how to apply them, until migration:run',
    async (dialect) => {
      const env = { ...(await freshDatabaseEnv(dialect)), DB_MIGRATIONS_RUN: 'false' };
      const migrations = dialect === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;
      const pending =
        `pending migrations: ${migrations.map((m) => m.name).join(', ')} ` +
        '(apply them with npm run migration:run, or docker compose run --rm migrate)';
      const api = await spawnApi({ ...env, NODE_ENV: 'production' });
      try {
        await api.waitFor('/health/live');
        const before = await fetch(`${api.baseUrl}/health`);
        expect(before.status).toBe(503);
        const { detail } = (await before.json()) as { detail: string };
        // Production hides driver messages, not which migrations are pending.
        expect(detail).toBe(`Not ready: migrations: ${pending}`);

        const run = await migrationCommand('run', env);
        expect(run).toMatchObject({ code: 0 });
        const warnings = api
          .output()
          .split('\n')
          .filter((line) => line.includes('DB_MIGRATIONS_RUN=false'))
          .map((line) => JSON.parse(line) as { level: number; msg?: string });
        expect(warnings).toEqual([
          expect.objectContaining({
            level: 40,
            msg: `DB_MIGRATIONS_RUN=false and ${pending}: readiness answers 503 until they are applied`,
          }),
        ]);

        await api.waitFor('/health', 200);
        const show = await migrationCommand('show', env);
        expect(show.code).toBe(0);
        migrations.forEach((m, i) => expect(show.output).toContain(`[X] ${i + 1} ${m.name}`));
      } finally {
        await api.stop();
      }
    },
  );

  it.each(DIALECTS)(
    '%s migrated by a newer app version: start-up, migration:run, show and revert refuse, naming it',
    async (dialect) => {
      const env = await freshDatabaseEnv(dialect);
      expect(await migrationCommand('run', env)).toMatchObject({ code: 0 });
      const newer = 'AddTaskColour1899999999999';
      if (dialect === 'sqlite') {
        const db = new Database(env.SQLITE_PATH);
        db.prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)').run(
          1899999999999,
          newer,
        );
        db.close();
      } else {
        const client = new Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        await client.query('INSERT INTO migrations (timestamp, name) VALUES ($1, $2)', [
          1899999999999,
          newer,
        ]);
        await client.end();
      }
      const message =
        `The database has migrations this build does not know (${newer}): it was migrated by a ` +
        'newer version of the app; use that version (or a newer one)';
      for (const migrationsRun of ['true', 'false']) {
        const api = await spawnApi({ ...env, DB_MIGRATIONS_RUN: migrationsRun });
        const serving = api.waitFor('/health/live', 200, 30_000).then(
          () => 'serving',
          () => 'exited',
        );
        try {
          expect(await Promise.race([api.exited, serving])).not.toBe('serving');
          expect({ migrationsRun, code: await api.exited }).toEqual({ migrationsRun, code: 1 });
          expect(api.output()).toContain(`Start-up failed: ${message}`);
        } finally {
          await api.stop();
        }
      }
      for (const command of ['run', 'show', 'revert']) {
        const result = await migrationCommand(command, env);
        expect({ command, code: result.code }).toEqual({ command, code: 1 });
        // One line, as for a database it cannot reach: a refusal, not a crash with a stack.
        expect(result.output).toContain(`migration:${command} failed: ${message}\n`);
        expect(result.output).not.toMatch(/^\s+at /m);
        expect(result.output).not.toContain('was found in the source code');
        expect(result.output).not.toMatch(/\[X\]|reverted successfully/);
      }
      // Nothing was reverted: every migration of this build is still recorded, and the newer one.
      const migrations = dialect === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;
      let recorded: unknown[];
      if (dialect === 'sqlite') {
        recorded = readSqlite(env.SQLITE_PATH, (db) =>
          db.prepare('SELECT name FROM migrations ORDER BY id').all(),
        );
      } else {
        const client = new Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        recorded = (await client.query('SELECT name FROM migrations ORDER BY id')).rows;
        await client.end();
      }
      expect(recorded).toEqual([...migrations.map((m) => ({ name: m.name })), { name: newer }]);
    },
  );

  it('PostgreSQL with DB_POOL_SIZE=1: migration:run and revert work (they run on the lock session)', async () => {
    const env = { ...(await freshDatabaseEnv('postgres')), DB_POOL_SIZE: '1' };
    const run = await migrationCommand('run', env);
    expect(run).toMatchObject({ code: 0 });
    expect(run.output).not.toMatch(/timeout exceeded/i);
    expect(await migrationCommand('revert', env)).toMatchObject({ code: 0 });
    const api = await spawnApi(env);
    try {
      await api.waitFor('/health', 200, 60_000);
    } finally {
      await api.stop();
    }
  });

  it('PostgreSQL: a run that waits for the migration lock says so, and runs once it is free', async () => {
    const env = await freshDatabaseEnv('postgres');
    const holder = new Client({ connectionString: env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      // Held until the run says that it waits (or exits), however long it takes to start.
      let waits!: () => void;
      const told = new Promise<void>((resolve) => (waits = resolve));
      const run = migrationCommand('run', env, (output) => {
        if (output.includes(LOCK_NOTICE)) waits();
      });
      await Promise.race([told, run]);
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
      const result = await run;
      expect(result.code).toBe(0);
      expect(result.output).toMatch(
        /waiting for the migration lock, held by another session \(PostgreSQL pid \d+\)/,
      );
    } finally {
      await holder.end();
    }
  });

  it('SQLite: the migrate one-shot and migration:run started together on a new file: one applies each migration once, the other finds none pending', async () => {
    const env = await freshSqliteEnv();
    const [oneShot, cli] = await startWhileWriteLockHeld(env.SQLITE_PATH, [
      (onOutput) => migrateOneShot(env, onOutput),
      (onOutput) => migrationCommand('run', env, onOutput),
    ]);
    expect({ oneShot: oneShot.code, cli: cli.code }).toEqual({ oneShot: 0, cli: 0 });
    expect(sqliteMigrationRows(env.SQLITE_PATH)).toEqual(
      SQLITE_MIGRATIONS.map((m) => ({ name: m.name, n: 1 })),
    );
    expect(sqliteSchema(env.SQLITE_PATH)).toEqual(await sqliteSchemaAfterOneRun());
    const foundNonePending = [
      oneShot.output.includes('No pending migrations'),
      cli.output.includes('No migrations are pending'),
    ];
    expect(foundNonePending.filter(Boolean)).toHaveLength(1);
  }, 120_000);

  it('SQLite: two migration:revert started together revert the last two migrations, one each', async () => {
    const env = await freshSqliteEnv();
    expect(await migrateOneShot(env)).toMatchObject({ code: 0 });
    const reverts = await startWhileWriteLockHeld(env.SQLITE_PATH, [
      (onOutput) => migrationCommand('revert', env, onOutput),
      (onOutput) => migrationCommand('revert', env, onOutput),
    ]);
    expect(reverts.map((r) => r.code)).toEqual([0, 0]);
    const reverted = reverts.map(
      (r) => /Migration (\w+) has been reverted successfully/.exec(r.output)?.[1],
    );
    expect(reverted.sort()).toEqual(
      SQLITE_MIGRATIONS.slice(-2)
        .map((m) => m.name)
        .sort(),
    );
    expect(sqliteMigrationRows(env.SQLITE_PATH)).toEqual(
      SQLITE_MIGRATIONS.slice(0, -2).map((m) => ({ name: m.name, n: 1 })),
    );
    // Both were undone: applying them again gives the schema of a single run.
    expect(await migrateOneShot(env)).toMatchObject({ code: 0 });
    expect(sqliteSchema(env.SQLITE_PATH)).toEqual(await sqliteSchemaAfterOneRun());
  }, 120_000);

  it('SQLite: a run gives up, saying why, when the write lock stays held past SQLITE_BUSY_TIMEOUT_MS', async () => {
    const env = await freshSqliteEnv(3000);
    const holder = holdSqliteWriteLock(env.SQLITE_PATH);
    try {
      const run = await migrateOneShot(env);
      expect(run.code).toBe(1);
      expect(run.output).toContain(`Warning: ${LOCK_NOTICE} (the SQLite write lock on`);
      expect(run.output).toContain(
        'is still held by another connection after SQLITE_BUSY_TIMEOUT_MS (3000 ms)',
      );
      const cli = await migrationCommand('run', env);
      expect(cli.code).toBe(1);
      expect(cli.output).toMatch(
        /^migration:run failed: the migration lock \(the SQLite write lock on .*\) is still held by another connection after SQLITE_BUSY_TIMEOUT_MS \(3000 ms\)/m,
      );
      expect(cli.output).not.toMatch(/^\s+at /m);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(sqliteSchema(env.SQLITE_PATH)).toEqual([]);
  });

  it('npm run typeorm refuses commands that bypass the migrations, pointing to the right one', async () => {
    const env = await freshDatabaseEnv('sqlite');
    expect(await migrationCommand('run', env)).toMatchObject({ code: 0 });
    const cases = [
      ['schema:drop', 'the schema comes from migrations'],
      ['schema:sync', 'the schema comes from migrations'],
      ['migration:generate', 'npm run migration:generate -- <Name>'],
      // Takes no data source: TypeORM's CLI would refuse the script's -d with its help.
      ['migration:create', 'npm run migration:create -- <Name>'],
    ];
    for (const [command, pointer] of cases) {
      const args = command.startsWith('migration:')
        ? [command, 'libs/database/src/migrations/sqlite/AddThing']
        : [command];
      const result = await npmRun(['typeorm', '--', ...args], env);
      expect({ command, code: result.code }).toEqual({ command, code: 1 });
      expect(result.output).toContain(`${command} is not run through this data source`);
      expect(result.output).toContain(pointer);
      expect(result.output).not.toContain('Unknown argument');
    }
    expect(readdirSync(join(ROOT, 'libs/database/src/migrations/sqlite'))).not.toContainEqual(
      expect.stringContaining('AddThing'),
    );
    const tables = readSqlite(env.SQLITE_PATH, (db) =>
      db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'tasks'").get(),
    );
    expect(tables).toEqual({ n: 1 });
  });

  describe('npm run typeorm on a database it cannot use: one line, no stack, no password', () => {
    const SECRET = 'Sentinel-S3cret-9b2e';
    let own: OwnPostgres;
    beforeAll(async () => {
      // Our own server, with password authentication (SCRAM): TEST_DATABASE_URL's may trust all.
      own = await startOwnPostgres();
    });
    afterAll(() => own?.stop());

    /** What `npm run typeorm -- <args>` printed, less the localhost-in-a-container warning. */
    async function failed(url: string, ...args: string[]): Promise<string> {
      return failedWith({ DB_TYPE: 'postgres', DATABASE_URL: url }, ...args);
    }

    async function failedWith(env: Record<string, string>, ...args: string[]): Promise<string> {
      const result = await npmRun(['typeorm', '--', ...args], env);
      expect(result.code).toBe(1);
      expect(result.output).not.toContain(SECRET);
      return result.output.replace(/^Warning: the PostgreSQL host is .*\n/m, '');
    }

    it('an unreachable server: its address (and the container hint when it applies)', async () => {
      const port = await freePort();
      const output = await failed(
        `postgres://app:${SECRET}@127.0.0.1:${port}/app`,
        'migration:run',
      );
      expect(output).toMatch(
        new RegExp(
          `^migration:run failed: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}: ` +
            `connect ECONNREFUSED 127\\.0\\.0\\.1:${port}(\\. Hint: [^\\n]*)?\\n$`,
        ),
      );
    });

    it('a wrong password, and none where the server asks for one', async () => {
      const url = new URL(own.url());
      url.password = SECRET;
      expect(await failed(url.toString(), 'migration:show')).toBe(
        'migration:show failed: password authentication failed for user "postgres"\n',
      );
      url.password = '';
      expect(await failed(url.toString(), 'migration:revert')).toMatch(
        new RegExp(
          `^migration:revert failed: the PostgreSQL server at 127\\.0\\.0\\.1:${own.port} asks ` +
            'for a password and none is configured: add it to DATABASE_URL[^\\n]*\\n$',
        ),
      );
    });

    it('a SQLite file that is not a database: the file, and why', async () => {
      const { SQLITE_PATH: path } = await freshDatabaseEnv('sqlite');
      writeFileSync(path, 'not a database, just text '.repeat(200));
      expect(await failedWith({ DB_TYPE: 'sqlite', SQLITE_PATH: path }, 'migration:run')).toBe(
        `migration:run failed: cannot open SQLite database ${path}: file is not a database\n`,
      );
    });
  });

  it('SQLITE_PATH=:memory: is refused by migration:run and the migrate one-shot: nothing would be kept', async () => {
    const env = { DB_TYPE: 'sqlite', SQLITE_PATH: ':memory:' };
    const message = 'SQLITE_PATH=:memory: is a database that lives only in this process';
    const run = await migrationCommand('run', env);
    expect(run.code).toBe(1);
    expect(run.output).toContain(message);
    const oneShot = await migrateOneShot(env);
    expect(oneShot.code).toBe(2);
    expect(oneShot.output).toContain(message);
    expect(oneShot.output).not.toContain('migration(s) applied');
  });

  it('every command but migration:run refuses a SQLite file that does not exist, creating nothing; migration:run creates it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migration-show-'));
    const path = join(dir, 'data', 'app.sqlite');
    const env = { DB_TYPE: 'sqlite', SQLITE_PATH: path };
    const typeorm = (args: string[]) => npmRun(['typeorm', '--', ...args], env);
    const runs: [string, () => Promise<Result>][] = [
      ['migration:show', () => migrationCommand('show', env)],
      ['migration:revert', () => migrationCommand('revert', env)],
      ['query', () => typeorm(['query', 'select 1'])],
      ['cache:clear', () => typeorm(['cache:clear'])],
      // The command before the data source, as in the README's production form.
      [
        'query',
        () =>
          runIn(
            process.execPath,
            [
              '-r',
              '@swc-node/register',
              'node_modules/typeorm/cli.js',
              'query',
              'select 1',
              '--dataSource',
              'libs/database/src/data-source.ts',
            ],
            env,
          ),
      ],
    ];
    for (const [command, start] of runs) {
      const result = await start();
      expect({ command, code: result.code }).toEqual({ command, code: 1 });
      expect(result.output).toContain(
        `SQLite database ${path} does not exist (SQLITE_PATH); ${command} creates no database`,
      );
      expect(existsSync(join(dir, 'data'))).toBe(false);
    }
    expect(await migrationCommand('run', env)).toMatchObject({ code: 0 });
    expect(existsSync(path)).toBe(true);
    const show = await migrationCommand('show', env);
    expect(show.code).toBe(0);
    SQLITE_MIGRATIONS.forEach((m, i) => expect(show.output).toContain(`[X] ${i + 1} ${m.name}`));
  });
});
