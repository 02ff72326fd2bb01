import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { openTargetDataSource } from '../../../libs/db-copy/src/target-database';
import { readSqlite } from '../../../tools/testing/read-sqlite';
import { freshDatabaseEnv, startApi, TestApi } from '../../../tools/testing/test-api';
import { cloneSqlite, pgCounts, runCli, spawnCli, sqliteCounts, withPg } from './cli';
import { copyCommand, createSource, METADATA } from './db-copy-source';

jest.setTimeout(180_000);

/** Every page of a list endpoint (100 per page). */
async function allPages(api: TestApi, path: string): Promise<unknown[]> {
  const pages: any[] = [];
  const join = path.includes('?') ? '&' : '?';
  for (let offset = 0; ; offset += 100) {
    const page = await api.request('GET', `${path}${join}limit=100&offset=${offset}`);
    expect({ path, status: page.status }).toEqual({ path, status: 200 });
    pages.push(page.body);
    if (offset + 100 >= page.body.total) return pages;
  }
}

/** Sorts that do not depend on the text collation (title would: SQLite BINARY vs PG locale). */
const TASK_LISTS = [
  ...['createdAt', '-createdAt', 'dueAt', '-dueAt', 'priority', '-priority'].map(
    (sort) => `/api/tasks?sort=${sort}`,
  ),
  '/api/tasks',
  '/api/tasks?tag=red',
  '/api/tasks?status=done',
];

/**
 * Every resource as the API returns it: every page of every list (tasks in each
 * collation-independent order, and per project) plus each `GET /:id`.
 */
async function apiSnapshot(api: TestApi): Promise<Record<string, unknown>> {
  const snapshot: Record<string, unknown> = {};
  for (const resource of ['projects', 'tags', 'tasks']) {
    const lists = resource === 'tasks' ? TASK_LISTS : [`/api/${resource}`];
    for (const list of lists) snapshot[list] = await allPages(api, list);
    for (const page of snapshot[lists[0]] as { items: { id: number }[] }[]) {
      for (const { id } of page.items) {
        const one = await api.request('GET', `/api/${resource}/${id}`);
        expect(one.status).toBe(200);
        snapshot[`/api/${resource}/${id}`] = one.body;
        if (resource === 'projects') {
          snapshot[`/api/projects/${id}/tasks`] = await allPages(api, `/api/projects/${id}/tasks`);
        }
      }
    }
  }
  return snapshot;
}

/** The id SQLite hands out next: past the highest id and its AUTOINCREMENT mark. */
function sqliteNextIds(path: string): Record<string, number> {
  return readSqlite(path, (db) =>
    Object.fromEntries(
      ['projects', 'tags', 'tasks'].map((t) => [
        t,
        db
          .prepare(
            `SELECT max(coalesce((SELECT max(id) FROM "${t}"), 0),
                        coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)) + 1`,
          )
          .pluck()
          .get(t) as number,
      ]),
    ),
  );
}

/** Constraints and indexes of the public schema, as PostgreSQL describes them. */
async function pgSchemaObjects(url: string): Promise<unknown[]> {
  return withPg(url, async (client) => {
    const constraints = await client.query(
      `SELECT conrelid::regclass::text AS "table", conname, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2`,
    );
    const indexes = await client.query(
      `SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = current_schema() ORDER BY 1, 2`,
    );
    return [...constraints.rows, ...indexes.rows];
  });
}

/**
 * Pitfalls 40/41: the target's columns are exactly the entities' (case-sensitive camelCase), the
 * entities need no DDL on it (no drift), and every constraint and index, including the foreign
 * keys the copy dropped and re-created, equals a database migrated by the app and never copied to.
 */
async function expectSchemaFromMigrationsOnly(url: string): Promise<void> {
  const dataSource = await openTargetDataSource(url);
  try {
    expect(dataSource.entityMetadatas.map((m) => m.tableName).sort()).toEqual([
      'projects',
      'tags',
      'task_tags',
      'tasks',
    ]);
    for (const metadata of dataSource.entityMetadatas) {
      const rows: { column_name: string }[] = await dataSource.query(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = $1`,
        [metadata.tableName],
      );
      expect({ table: metadata.tableName, columns: rows.map((r) => r.column_name).sort() }).toEqual(
        {
          table: metadata.tableName,
          columns: metadata.columns.map((c) => c.databaseName).sort(),
        },
      );
      await dataSource.getRepository(metadata.target).find({ take: 1 });
    }
    const drift = await dataSource.driver.createSchemaBuilder().log();
    expect(drift.upQueries.map((q) => q.query)).toEqual([]);
  } finally {
    await dataSource.destroy();
  }
  const reference = await freshDatabaseEnv('postgres');
  await (await startApi(reference)).close(); // the app migrates it on start
  expect(await pgSchemaObjects(url)).toEqual(await pgSchemaObjects(reference.DATABASE_URL));
}

/** True while a db:copy or db:verify run holds a transaction open on the target at `url`. */
const transactionOpen = (url: string) =>
  withPg(url, async (c) => {
    const { rows } = await c.query(
      `SELECT 1 FROM pg_stat_activity
        WHERE application_name = 'nest-tasks db:copy' AND xact_start IS NOT NULL`,
    );
    return rows.length > 0;
  });

describe('db:copy and db:verify', () => {
  let sqlitePath: string;
  let targetUrl: string;
  let sourceSnapshot: Record<string, unknown>;

  beforeAll(async () => {
    const env = await createSource();
    sqlitePath = env.SQLITE_PATH;
    const sqliteApi = await startApi(env);
    sourceSnapshot = await apiSnapshot(sqliteApi);
    await sqliteApi.close();
    targetUrl = (await freshDatabaseEnv('postgres')).DATABASE_URL;
  });

  it('copies every row with types converted; the API on PostgreSQL answers the same JSON', async () => {
    const dry = await copyCommand(sqlitePath, targetUrl, '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).ok).toBe(true);
    const plan = JSON.parse(dry.stdout).plan.map((p: { table: string }) => p.table);
    expect(plan.indexOf('projects')).toBeLessThan(plan.indexOf('tasks'));
    expect(plan.indexOf('tasks')).toBeLessThan(plan.indexOf('task_tags'));
    expect((await pgCounts(targetUrl)).projects).toBeNull(); // dry run wrote nothing

    const copy = await copyCommand(sqlitePath, targetUrl);
    expect(copy.stderr).toBe('');
    expect(copy.code).toBe(0);
    expect(copy.stdout).toContain('Verification passed');
    expect(copy.stdout).toMatch(
      /projects\.id +source next id 601 \(sqlite_sequence 600\) \| target next id 601 {2}ok/,
    );
    expect(await pgCounts(targetUrl)).toEqual(sqliteCounts(sqlitePath));

    const pgApi = await startApi({ DB_TYPE: 'postgres', DATABASE_URL: targetUrl });
    try {
      const snapshot = await apiSnapshot(pgApi);
      expect((snapshot['/api/projects/101'] as { archived: boolean }).archived).toBe(true);
      expect((snapshot['/api/projects/102'] as { archived: boolean }).archived).toBe(false);
      expect(Object.keys(snapshot).length).toBeGreaterThan(230); // 104 projects, 18 tasks, 7 tags
      // The one intended difference: TypeORM on SQLite reads any non-empty text as true, so the
      // SQLite API shows the text 'false' (project 102) as archived; the copy converts it to false.
      const expected = JSON.parse(JSON.stringify(sourceSnapshot), (key, value) =>
        value?.id === 102 && value?.name === 'Active by text'
          ? { ...value, archived: false }
          : value,
      );
      expect((sourceSnapshot['/api/projects/102'] as { archived: boolean }).archived).toBe(true);
      expect(snapshot).toEqual(expected);
      const next = sqliteNextIds(sqlitePath);
      expect(next).toEqual({ projects: 601, tags: 78, tasks: 501 });
      const posts = {
        projects: { name: 'After the move' },
        tags: { name: 'after the move' },
        tasks: { projectId: 500, title: 'After the move', tags: ['red'] },
      };
      for (const [resource, body] of Object.entries(posts)) {
        const created = await pgApi.request('POST', `/api/${resource}`, body);
        expect({ resource, status: created.status }).toEqual({ resource, status: 201 });
        expect({ resource, id: created.body.id }).toEqual({ resource, id: next[resource] });
      }
    } finally {
      await pgApi.close();
    }
    // The POSTs above are removed again so db:verify below compares the copy itself.
    await withPg(targetUrl, (c) =>
      c.query(`DELETE FROM tasks WHERE id > 500; DELETE FROM tags WHERE id > 41;
               DELETE FROM projects WHERE id > 500`),
    );

    await withPg(targetUrl, async (client) => {
      const { rows } = await client.query(
        `SELECT id, "dueAt", "estimateHours", metadata, "updatedAt" FROM tasks WHERE id IN (1, 4, 10) ORDER BY id`,
      );
      expect(rows[0].metadata).toEqual({ from: 'api', nested: { n: 2 ** 40 } });
      expect(rows[1].metadata).toEqual({ path: 'C:\\u0000dir' });
      expect(rows[2].estimateHours).toBe('1.25');
      expect(rows[2].metadata).toEqual(METADATA);
      expect(rows[2].dueAt.toISOString()).toBe('2024-03-27T12:00:00.000Z');
    });
    await expectSchemaFromMigrationsOnly(targetUrl);
    const verify = await runCli('db:verify', '--from', sqlitePath, '--to', targetUrl);
    expect(verify.code).toBe(0);
  });

  it('refuses a second copy into the filled target; --truncate replaces with the same counts', async () => {
    const again = await copyCommand(sqlitePath, targetUrl);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds rows.*--truncate/s);
    const dry = await copyCommand(sqlitePath, targetUrl, '--dry-run');
    expect({ code: dry.code, stderr: dry.stderr }).toEqual({ code: 1, stderr: again.stderr });
    const dryTruncate = await copyCommand(sqlitePath, targetUrl, '--dry-run', '--truncate');
    expect(dryTruncate.code).toBe(0);
    expect(dryTruncate.stdout).toMatch(/Warning: --truncate would replace the rows in projects/);
    const truncate = await copyCommand(sqlitePath, targetUrl, '--truncate');
    expect(truncate.code).toBe(0);
    expect(await pgCounts(targetUrl)).toEqual(sqliteCounts(sqlitePath));
  });

  it('db:verify fails while a target sequence would hand out ids SQLite already used', async () => {
    // What a copy that set the sequence from MAX(id) alone left behind.
    const setNext = (id: number) =>
      withPg(targetUrl, (c) =>
        c.query(`SELECT setval(pg_get_serial_sequence('projects', 'id'), $1, false)`, [id]),
      );
    await setNext(501);
    try {
      const json = await runCli('db:verify', '--from', sqlitePath, '--to', targetUrl, '--json');
      expect(json.code).toBe(1);
      const report = JSON.parse(json.stdout);
      expect(report.tables.every((t: { match: boolean }) => t.match)).toBe(true);
      expect(report.sequences.filter((s: { ok: boolean }) => !s.ok)).toEqual([
        {
          table: 'projects',
          column: 'id',
          autoincrementMark: 600,
          sourceNext: 601,
          targetNext: 501,
          ok: false,
        },
      ]);
      const plain = await runCli('db:verify', '--from', sqlitePath, '--to', targetUrl);
      expect(plain.code).toBe(1);
      expect(plain.stdout).toMatch(
        /projects\.id +source next id 601 \(sqlite_sequence 600\) \| target next id 501 {2}BEHIND: would hand out ids SQLite already used/,
      );
      expect(plain.stdout).toContain('Differences found: ');
    } finally {
      await setNext(601);
    }
  });

  it('db:verify names the table, key and column of a changed value', async () => {
    await withPg(targetUrl, (c) => c.query(`UPDATE tasks SET notes = 'tampered' WHERE id = 70`));
    const result = await runCli('db:verify', '--from', sqlitePath, '--to', targetUrl, '--json');
    expect(result.code).toBe(1);
    const tasks = JSON.parse(result.stdout).tables.find((t: any) => t.table === 'tasks');
    expect(tasks.difference).toMatchObject({ key: 'id=70', column: 'notes', target: 'tampered' });
    const plain = await runCli('db:verify', '--from', sqlitePath, '--to', targetUrl);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('tasks id=70 column notes');

    // With several rows changed, the first difference is the lowest key, not the last one seen.
    await withPg(targetUrl, (c) =>
      c.query(`UPDATE tasks SET title = 'tampered too' WHERE id = 30`),
    );
    const two = await runCli('db:verify', '--from', sqlitePath, '--to', targetUrl, '--json');
    expect(two.code).toBe(1);
    const both = JSON.parse(two.stdout).tables.find((t: any) => t.table === 'tasks');
    expect(both.difference).toMatchObject({
      key: 'id=30',
      column: 'title',
      target: 'tampered too',
    });
  });

  it('copies JSON numbers beyond a double exactly; db:verify sees a change in their digits', async () => {
    const path = cloneSqlite(sqlitePath, 'json-digits');
    const written = '{"n": 12345678901234567890, "m": [-98765432109876543210.5, 1.50]}';
    const db = new Database(path);
    db.prepare(`UPDATE tasks SET metadata = ? WHERE id = 20`).run(written);
    // Another tool's bare JSON number, stored as an INTEGER beyond 2^53.
    db.prepare(`UPDATE tasks SET metadata = ? WHERE id = 30`).run(2n ** 60n + 1n);
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const copy = await copyCommand(path, url);
    expect(copy.code).toBe(0);
    const stored = () =>
      withPg(url, async (c) => {
        const { rows } = await c.query(`SELECT metadata::text AS m FROM tasks WHERE id = 20`);
        return rows[0].m;
      });
    expect(await stored()).toBe(
      '{"m": [-98765432109876543210.5, 1.50], "n": 12345678901234567890}',
    );
    const integer = await withPg(url, (c) =>
      c.query(`SELECT metadata::text AS m FROM tasks WHERE id = 30`),
    );
    expect(integer.rows[0].m).toBe('1152921504606846977');
    await withPg(url, (c) =>
      c.query(`UPDATE tasks SET metadata = jsonb_set(metadata, '{n}', '12345678901234567891')
                WHERE id = 20`),
    );
    const verify = await runCli('db:verify', '--from', path, '--to', url);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('first difference: tasks id=20 column metadata');
  });

  it('copies rows that live only in the -wal file of a live database, and warns it is open', async () => {
    const path = cloneSqlite(sqlitePath, 'wal');
    const writer = new Database(path);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    const insert = writer.prepare(
      `INSERT INTO projects (name, nameKey, archived, createdAt, updatedAt) VALUES (?, ?, 0, '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`,
    );
    for (let i = 0; i < 50; i++) insert.run(`WAL ${i}`, `wal ${i}`);
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const warning =
      /^Warning: .*wal\.sqlite seems to be open in another process .*writes made after the copy starts will not be copied\. Stop the app first, and run db:verify afterwards\.\n/;
    try {
      // An idle app (no write transaction): copied without --force, with a warning on stderr.
      const result = await copyCommand(path, url);
      expect(result.stderr).toMatch(warning);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/\nWarning: .*seems to be open in another process/);
      const counts = await pgCounts(url);
      expect(counts.projects).toBe(sqliteCounts(sqlitePath).projects + 50);
      const json = await copyCommand(path, url, '--truncate', '--json');
      expect(json.code).toBe(0);
      expect(json.stderr).toMatch(warning);
      expect(JSON.parse(json.stdout).warnings).toEqual([
        expect.stringMatching(/seems to be open in another process/),
      ]);
    } finally {
      writer.close(); // the last connection: SQLite removes the -wal
    }
    // Twice: the first leaves the empty -wal of its read-only open, no sign of another process.
    for (const run of [1, 2]) {
      const closed = await copyCommand(path, url, '--truncate');
      expect({ run, code: closed.code, stderr: closed.stderr }).toEqual({
        run,
        code: 0,
        stderr: '',
      });
    }
  });

  it('names the source columns and tables no entity has (not copied), db:copy and db:verify alike', async () => {
    // What other tools leave behind: a column added to an entity table, and a table of their own.
    const path = cloneSqlite(sqlitePath, 'extra-columns');
    const db = new Database(path);
    db.exec(`ALTER TABLE tasks ADD COLUMN colour text;
             UPDATE tasks SET colour = 'blue' WHERE id IN (10, 20);
             ALTER TABLE tags ADD COLUMN legacy integer;
             CREATE TABLE audit_log (id integer PRIMARY KEY, line text);
             INSERT INTO audit_log (line) VALUES ('kept in SQLite only')`);
    db.close();
    const warnings = [
      'source column tags.legacy has no entity column and is not copied (no row holds a value)',
      'source column tasks.colour has no entity column and is not copied (2 rows hold a value)',
      'source table audit_log has no entity and is not copied',
    ];
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const copy = await copyCommand(path, url, '--json');
    expect(copy.code).toBe(0);
    expect(JSON.parse(copy.stdout).warnings).toEqual(warnings);
    const verify = await runCli('db:verify', '--from', path, '--to', url);
    expect(verify.code).toBe(0);
    for (const warning of warnings) expect(verify.stdout).toContain(`\nWarning: ${warning}\n`);

    // An entity column gone from the source: both refuse it the same way (not "no such column").
    const dropped = new Database(path);
    dropped.exec('ALTER TABLE tasks DROP COLUMN notes');
    dropped.close();
    const refusal = 'The source schema differs from the entities: column tasks.notes is missing\n';
    const copyAgain = await copyCommand(path, url, '--truncate');
    const verifyAgain = await runCli('db:verify', '--from', path, '--to', url);
    expect([copyAgain.code, verifyAgain.code]).toEqual([2, 2]);
    expect([copyAgain.stderr, verifyAgain.stderr]).toEqual([
      `Error: ${refusal}`,
      `Error: ${refusal}`,
    ]);
  });

  it('converts epoch-number datetimes (seconds, milliseconds)', async () => {
    // Not in the API fixture: TypeORM on SQLite hands epoch numbers through as numbers, so the
    // API on the SQLite file itself cannot serve these rows; the values are checked in PostgreSQL.
    const path = cloneSqlite(sqlitePath, 'epoch');
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO tasks (id, projectId, title, searchKey, dueAt, createdAt, updatedAt) VALUES (?, 4, 'epoch', 'epoch', ?, ?, ?)`,
    );
    insert.run(700, 1709294400123, 1709294400, '2024-03-01 12:00:00.000');
    insert.run(701, 1709294400, 1709294400123, 1709294400123);
    insert.run(702, 1, -1, '2024-03-01T12:00:00Z');
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const result = await copyCommand(path, url);
    expect(result.code).toBe(0);
    await withPg(url, async (client) => {
      const { rows } = await client.query(
        `SELECT id, "dueAt", "createdAt", "updatedAt" FROM tasks WHERE id >= 700 ORDER BY id`,
      );
      expect(
        rows.map((r) =>
          [r.id, r.dueAt, r.createdAt, r.updatedAt].map((v) => v.toISOString?.() ?? v),
        ),
      ).toEqual([
        [700, '2024-03-01T12:00:00.123Z', '2024-03-01T12:00:00.000Z', '2024-03-01T12:00:00.000Z'],
        [701, '2024-03-01T12:00:00.000Z', '2024-03-01T12:00:00.123Z', '2024-03-01T12:00:00.123Z'],
        [702, '1970-01-01T00:00:01.000Z', '1969-12-31T23:59:59.000Z', '2024-03-01T12:00:00.000Z'],
      ]);
    });
  });

  /** A copy of the source with 200,000 more tasks: a copy and a verification take seconds. */
  function bigSource(suffix: string): string {
    const path = cloneSqlite(sqlitePath, suffix);
    const db = new Database(path);
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
      INSERT INTO tasks (id, projectId, title, notes, searchKey, dueAt, metadata, createdAt, updatedAt)
      SELECT 1000 + i, 4, 'Generated ' || i, 'notes ' || i, 'generated ' || i, '2024-03-01 12:00:00.000',
             '{"i":' || i || '}', '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000' FROM n`);
    db.close();
    return path;
  }

  it('leaves the target unchanged when killed mid-copy; a rerun succeeds', async () => {
    const path = bigSource('big');
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const { child, result } = spawnCli(['db:copy', '--from', path, '--to', url]);
    let seen = '';
    child.stdout!.on('data', (chunk) => (seen += chunk));
    while (!seen.includes('tasks: copying')) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    const killed = await result;
    expect(killed.code).toBe('SIGKILL');
    expect(killed.stdout).not.toContain('Committed');
    expect(await pgCounts(url)).toEqual({ projects: 0, tags: 0, tasks: 0, task_tags: 0 });

    const rerun = await copyCommand(path, url);
    expect(rerun.code).toBe(0);
    expect(await pgCounts(url)).toEqual(sqliteCounts(path));
  });

  it("copies and verifies into a database whose settings time out the app's statements", async () => {
    // As a managed PostgreSQL may be set up: limits meant for the app, not for a bulk copy whose
    // COPY takes seconds and whose transaction waits while the source is read.
    const path = bigSource('timeouts');
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    await withPg(url, (c) =>
      c.query(`DO $$ BEGIN
                 EXECUTE format('ALTER DATABASE %I SET statement_timeout = 500', current_database());
                 EXECUTE format('ALTER DATABASE %I SET idle_in_transaction_session_timeout = 200',
                                current_database());
               END $$`),
    );
    const copy = await copyCommand(path, url);
    expect({ code: copy.code, stderr: copy.stderr }).toEqual({ code: 0, stderr: '' });
    const verify = await runCli('db:verify', '--from', path, '--to', url);
    expect({ code: verify.code, stderr: verify.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('says what a SIGTERM leaves: rolled back during the copy, committed while verifying', async () => {
    const path = bigSource('sigterm');
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const target = await openTargetDataSource(url);
    await target.runMigrations(); // migrated already: the copy's transaction is all it changes
    await target.destroy();
    /** Runs db:copy and sends it SIGTERM once `ready(stdout so far)` says so. */
    const terminated = async (ready: (seen: string) => Promise<boolean>, ...flags: string[]) => {
      const { child, result } = spawnCli(['db:copy', '--from', path, '--to', url, ...flags]);
      let seen = '';
      child.stdout!.on('data', (chunk) => (seen += chunk));
      while (!(await ready(seen))) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGTERM');
      return result;
    };
    const printed = (text: string) => async (seen: string) => seen.includes(text);

    const copying = await terminated(printed('tasks: copying'));
    expect(copying.stderr).toBe('Interrupted (SIGTERM): rolled back, the target is unchanged.\n');
    expect(copying.stdout).not.toContain('Committed');
    expect(copying.code).toBe(143);
    expect(await pgCounts(url)).toEqual({ projects: 0, tags: 0, tasks: 0, task_tags: 0 });

    const verifying = await terminated(printed('Committed; verifying'));
    expect(verifying.stderr).toBe(
      'Interrupted (SIGTERM) after the commit, while verifying: the copy is committed (the ' +
        'target keeps its rows); run db:verify to check it.\n',
    );
    expect(verifying.code).toBe(143);
    expect(await pgCounts(url)).toEqual(sqliteCounts(path));
    expect((await runCli('db:verify', '--from', path, '--to', url)).code).toBe(0);

    // --json, which prints nothing before its report: SIGTERM once the copy's transaction is open.
    const json = await terminated(() => transactionOpen(url), '--truncate', '--json');
    expect(json.code).toBe(143);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: expect.stringMatching(/^Interrupted \(SIGTERM\)/),
      details: [],
    });
    expect(json.stderr).toContain(JSON.parse(json.stdout).error);
  });

  it('db:verify says a SIGINT or SIGTERM changed nothing, and exits 130 or 143', async () => {
    const path = bigSource('verify-signal');
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    expect((await copyCommand(path, url)).code).toBe(0);
    const verifying = () => transactionOpen(url);
    /** Runs db:verify and sends it `signal` once its read-only transaction is open. */
    const interrupted = async (signal: NodeJS.Signals, ...flags: string[]) => {
      // The session of a run killed before may linger a moment: not to be taken for this one's.
      while (await verifying()) await new Promise((r) => setTimeout(r, 5));
      const { child, result } = spawnCli(['db:verify', '--from', path, '--to', url, ...flags]);
      while (!(await verifying())) await new Promise((r) => setTimeout(r, 5));
      child.kill(signal);
      return result;
    };

    const sigint = await interrupted('SIGINT');
    expect(sigint).toEqual({
      code: 130,
      stdout: '',
      stderr:
        'Interrupted (SIGINT): the verification did not finish; nothing was changed ' +
        '(db:verify only reads).\n',
    });
    const json = await interrupted('SIGTERM', '--json');
    expect(json.code).toBe(143);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error:
        'Interrupted (SIGTERM): the verification did not finish; nothing was changed ' +
        '(db:verify only reads).',
      details: [],
    });
    expect(json.stderr).toBe(`${JSON.parse(json.stdout).error}\n`);
    expect(await pgCounts(url)).toEqual(sqliteCounts(path));
  });

  it('says the copy is committed, not rolled back, when verifying fails after the commit', async () => {
    const path = bigSource('unverified');
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const { child, result } = spawnCli(['db:copy', '--from', path, '--to', url]);
    let seen = '';
    child.stdout!.on('data', (chunk) => (seen += chunk));
    while (!seen.includes('Committed; verifying')) await new Promise((r) => setTimeout(r, 5));
    // Paused while its connection is ended under it: verification cannot finish first.
    child.kill('SIGSTOP');
    try {
      await withPg(url, (c) =>
        c.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = 'nest-tasks db:copy'`,
        ),
      );
    } finally {
      child.kill('SIGCONT');
    }
    const unverified = await result;
    expect(unverified.stderr).toMatch(
      /^Error: The copy was committed \(the target keeps its rows\), but verifying it failed \(.+\); run db:verify /,
    );
    expect(unverified.stderr).not.toContain('hold no rows');
    expect(unverified.code).toBe(2);
    expect(await pgCounts(url)).toEqual(sqliteCounts(path));
    const verify = await runCli('db:verify', '--from', path, '--to', url);
    expect(verify.code).toBe(0);
  });

  it('--json prints nothing but the JSON report on stdout, with ok', async () => {
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const copy = await copyCommand(sqlitePath, url, '--json');
    expect(copy.code).toBe(0);
    const report = JSON.parse(copy.stdout); // the migrations run first: their log is not here
    expect(report).toMatchObject({ ok: true, dryRun: false });
    expect(Object.keys(report)[0]).toBe('ok');
    expect(report.migrationsApplied.length).toBeGreaterThan(0);
    const verify = await runCli('db:verify', '--from', sqlitePath, '--to', url, '--json');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, match: true });

    // A migration that fails: a table holds the name of an index it creates.
    const clash = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    await withPg(clash, (c) => c.query('CREATE TABLE "UQ_projects_nameKey" (id int)'));
    const failed = await copyCommand(sqlitePath, clash, '--json');
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      ok: false,
      error: expect.stringContaining('"UQ_projects_nameKey" already exists'),
    });
    expect(failed.stderr).toContain('failed');
  });

  it('explains bad input without leaking the password', async () => {
    const missing = await copyCommand('/nonexistent/app.sqlite', targetUrl);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Source not found: /nonexistent/app.sqlite');
    const folder = await copyCommand(dirname(sqlitePath), targetUrl);
    expect({ code: folder.code, stderr: folder.stderr }).toEqual({
      code: 2,
      stderr: `Error: Source is not a file: ${dirname(sqlitePath)}\n`,
    });

    const notSqlite = `${sqlitePath}.txt`;
    writeFileSync(notSqlite, 'this is not a database, just text '.repeat(200));
    const wrong = await copyCommand(notSqlite, targetUrl);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Not a SQLite database');

    const unreachable = await copyCommand(sqlitePath, 'postgres://app:s3cret-pw@127.0.0.1:1/app');
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain(
      'Cannot reach PostgreSQL at 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(unreachable.stderr + unreachable.stdout).not.toContain('s3cret-pw');

    // pg also takes the password from the query string; the report shows the target URL.
    const queryPassword = new URL(targetUrl);
    // (A server that trusts local connections, as TEST_DATABASE_URL's may, takes any password.)
    const password = decodeURIComponent(queryPassword.password) || 'Query-Secret-123';
    queryPassword.password = '';
    queryPassword.searchParams.set('password', password);
    for (const command of ['db:copy', 'db:verify']) {
      // The target holds the copy: a dry run with --truncate passes, and reports the target.
      const args = command === 'db:copy' ? ['--dry-run', '--truncate', '--json'] : ['--json'];
      const run = await runCli(command, '--from', sqlitePath, '--to', `${queryPassword}`, ...args);
      expect(run.stderr + run.stdout).not.toContain(password);
      expect(JSON.parse(run.stdout).target).toMatch(/[?&]password=\*\*\*\*/);
    }

    // In a container (the `container` variable, as systemd-nspawn sets it), a localhost target is
    // the container itself: the app's hint, naming what to change. The address and reason once.
    const inContainer = { container: 'docker' };
    for (const command of ['db:copy', 'db:verify']) {
      const flagged = await spawnCli(
        [command, '--from', sqlitePath, '--to', 'postgres://app:s3cret-pw@localhost:1/app'],
        inContainer,
      ).result;
      expect(flagged.code).toBe(2);
      expect(flagged.stderr).toContain(
        'Cannot reach PostgreSQL at localhost:1: connect ECONNREFUSED 127.0.0.1:1. Hint: the ' +
          'PostgreSQL host is localhost, but this process runs in a container',
      );
      expect(flagged.stderr).toContain('(e.g. the host part of the --to URL, after the @:');
      const configured = await spawnCli([command, '--from', sqlitePath], {
        ...inContainer,
        DB_TYPE: 'postgres',
        POSTGRES_HOST: 'localhost',
        POSTGRES_PORT: '1',
        POSTGRES_USER: 'app',
        POSTGRES_PASSWORD: 's3cret-pw',
        POSTGRES_DB: 'app',
      }).result;
      expect(configured.code).toBe(2);
      expect(configured.stderr).toContain('Cannot reach PostgreSQL at localhost:1');
      expect(configured.stderr).toContain('(e.g. POSTGRES_HOST=db)');
      expect(flagged.stderr + configured.stderr).not.toContain('s3cret-pw');
    }

    const usage = await runCli('db:copy');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--from <sqlite file> is required');
  });
});
