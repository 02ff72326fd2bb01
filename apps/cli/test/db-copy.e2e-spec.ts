import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openTargetDataSource } from '../../../libs/db-copy/src/target-database';
import { searchKey } from '../../../libs/tasks/src/shared/search-key';
import { freshDatabaseEnv, startApi, TestApi } from '../../../tools/testing/test-api';
import { cloneSqlite, pgCounts, runCli, spawnCli, sqliteCounts, withPg } from './cli';

jest.setTimeout(180_000);

/** A failed copy's stderr without the note on the migrations it applied first. */
const withoutMigrationNote = (stderr: string) =>
  stderr.replace(/\nThe target's migrations ran before the copy and stay .*\n/, '\n');

/** `db:copy --from <from> --to <to> [flags]`. */
const copyCommand = (from: string, to: string, ...flags: string[]) =>
  runCli('db:copy', '--from', from, '--to', to, ...flags);

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

const PROJECT_DATES = [
  '2024-03-01 12:00:00.123',
  '2024-03-01T12:00:00Z',
  '2024-03-01T14:00:00.5+02:00',
  '2024-03-01 12:00',
];
const TEXTS = [
  'Ünïcødé ✓ 日本語 😀',
  `it's "quoted" \\ back\\slash`,
  'tab\there\nnew line\r\n',
  null,
];

const METADATA = {
  z: 1,
  a: { nested: [1, 'two', { three: null, deeper: { list: [true, false, 1.5] } }] },
  big: 2 ** 40,
  s: TEXTS[1],
};

/** Rows the app would never write but real files contain, written straight into SQLite. */
function addAwkwardRows(path: string): void {
  const db = new Database(path);
  db.pragma('foreign_keys = OFF');
  const project = db.prepare(
    'INSERT INTO projects (id, name, nameKey, description, archived, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const ids = [...Array.from({ length: 97 }, (_, i) => i + 4), 500];
  for (const id of ids) {
    project.run(
      id,
      `Project ${id} ${TEXTS[id % 3]}`,
      `project ${id}`,
      TEXTS[id % 4],
      id % 2,
      PROJECT_DATES[id % 4],
      PROJECT_DATES[(id + 1) % 4],
    );
  }
  project.run(
    101,
    'Archived by text',
    'archived by text',
    null,
    'true',
    PROJECT_DATES[0],
    PROJECT_DATES[0],
  );
  project.run(
    102,
    'Active by text',
    'active by text',
    '',
    'false',
    PROJECT_DATES[1],
    PROJECT_DATES[2],
  );
  const tag = db.prepare('INSERT INTO tags (id, name, nameKey, color) VALUES (?, ?, ?, ?)');
  tag.run(3, 'Ünï', 'ünï', null);
  tag.run(9, 'red', 'red', '#ff0000');
  tag.run(41, `it's "q"`, `it's "q"`, '#00ff7f');
  const task = db.prepare(
    'INSERT INTO tasks (id, projectId, title, notes, searchKey, status, priority, dueAt, estimateHours, metadata, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // Text forms only: the API on SQLite (TypeORM) cannot read epoch numbers (see the epoch test).
  // One distinct day per task, so SQLite's text order equals PostgreSQL's instant order.
  const day = (n: number, form: number) => {
    const d = `2024-03-${String(n).padStart(2, '0')}`;
    return [`${d} 12:00:00.123`, `${d}T12:00:00Z`, `${d}T14:00:00.5+02:00`, `${d} 12:00`][form % 4];
  };
  const statuses = ['todo', 'in_progress', 'done'];
  const taskIds = [...Array.from({ length: 12 }, (_, i) => (i + 1) * 10), 500];
  taskIds.forEach((id, i) => {
    const n = i + 1;
    task.run(
      id,
      n % 2 ? 500 : 4,
      `Task ${n} ${TEXTS[n % 3]}`,
      TEXTS[n % 4],
      `task ${n}`,
      statuses[n % 3],
      1 + (n % 5),
      n % 4 === 0 ? null : day(28 - n, n),
      n % 3 ? n * 1.25 : null,
      n % 2 ? JSON.stringify(METADATA) : n % 4 === 0 ? null : '{"list":[1,"two",{"x":[]}]}',
      day(n, n + 1),
      day(n + 1, n + 2),
    );
  });
  // Within the API's limits in code points, with case-folded keys longer than the old
  // varchar(40)/varchar(120) nameKey columns (U+FDFA: 18 characters after NFKC, U+0130: two
  // once lower-cased) and titles of 200 code points in 400 UTF-16 units.
  for (const [id, name] of [
    [30, '\uFDFA'.repeat(3)],
    [31, '\u0130'.repeat(40)],
  ] as const) {
    tag.run(id, name, searchKey(name), null);
  }
  const ligatures = '\uFDFA'.repeat(7);
  project.run(103, ligatures, searchKey(ligatures), null, 0, PROJECT_DATES[0], PROJECT_DATES[1]);
  for (const [id, title, day] of [
    [7, '\u2764\uFE0F'.repeat(100), '2024-04-10'],
    [8, '\u{1F600}'.repeat(200), '2024-04-11'],
  ] as const) {
    const at = `${day} 12:00:00.000`;
    task.run(id, 103, title, null, searchKey(title), 'todo', 3, null, null, null, at, at);
  }
  const link = db.prepare('INSERT INTO task_tags (taskId, tagId) VALUES (?, ?)');
  link.run(10, 3);
  link.run(10, 9);
  link.run(20, 9);
  link.run(500, 41);
  link.run(500, 9);
  link.run(7, 30);
  link.run(8, 31);
  // Deleted after AUTOINCREMENT counted them: sqlite_sequence holds 600 and 77, above the highest
  // ids left (500 and 41), so SQLite hands out 601 and 78 next, never an id it already used.
  project.run(600, 'Gone', 'gone', null, 0, PROJECT_DATES[0], PROJECT_DATES[0]);
  tag.run(77, 'gone', 'gone', null);
  db.exec('DELETE FROM projects WHERE id = 600; DELETE FROM tags WHERE id = 77');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** The id SQLite hands out next: past the highest id and its AUTOINCREMENT mark. */
function sqliteNextIds(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(
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
    );
  } finally {
    db.close();
  }
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

describe('db:copy and db:verify', () => {
  let sqlitePath: string;
  let targetUrl: string;
  let sourceSnapshot: Record<string, unknown>;

  beforeAll(async () => {
    const env = await freshDatabaseEnv('sqlite');
    sqlitePath = env.SQLITE_PATH;
    const api = await startApi(env); // the app's own migrations create the schema
    for (const name of ['Garden', 'Kitchen ✓', 'Garage "B"']) {
      expect((await api.request('POST', '/api/projects', { name })).status).toBe(201);
    }
    for (const [name, color] of [
      ['urgent', '#aa0000'],
      ['Home ✓', null],
    ]) {
      expect((await api.request('POST', '/api/tags', { name, color })).status).toBe(201);
    }
    const created = await api.request('POST', '/api/tasks', {
      projectId: 1,
      title: 'Water the "roses" 🌹',
      notes: null,
      priority: 5,
      dueAt: '2024-04-01T08:30:00.250Z',
      estimateHours: 0.5,
      metadata: { from: 'api', nested: { n: 2 ** 40 } },
      tags: ['urgent', 'Home ✓'],
    });
    expect(created.status).toBe(201);
    for (const title of ['Sweep', 'Paint']) {
      expect((await api.request('POST', '/api/tasks', { projectId: 2, title })).status).toBe(201);
    }
    // A backslash followed by the characters u0000 (JSON `"C:\\u0000dir"`), not a NUL: the API
    // and jsonb accept it, so the copy must too.
    const backslash = await api.request('POST', '/api/tasks', {
      projectId: 2,
      title: 'Backslash path',
      metadata: { path: 'C:\\u0000dir' },
    });
    expect(backslash.body).toMatchObject({ id: 4, metadata: { path: 'C:\\u0000dir' } });
    expect((await api.request('PUT', '/api/tasks/2/tags', { tags: ['urgent'] })).status).toBe(200);
    await api.close();
    addAwkwardRows(sqlitePath);
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
      expect(plain.stdout).toContain('Differences found.');
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
  });

  it('refuses orphan rows before writing anything', async () => {
    const path = cloneSqlite(sqlitePath, 'orphans');
    const db = new Database(path);
    db.pragma('foreign_keys = OFF');
    db.prepare(`INSERT INTO task_tags ("taskId", "tagId") VALUES (10, 777)`).run();
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const result = await copyCommand(path, url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('task_tags rowid=');
    expect(result.stderr).toContain('missing tags (tagId=777)');
    expect(Object.values(await pgCounts(url)).every((n) => !n)).toBe(true);
  });

  it('refuses a source that fails integrity_check; the target keeps no rows', async () => {
    const path = cloneSqlite(sqlitePath, 'corrupt');
    // One byte of an index entry changed in the file (a year in IDX_tasks_createdAt_id): the
    // file opens and its tables read fine; only integrity_check (run after the load, while
    // PostgreSQL rebuilds indexes, before COMMIT) sees that the index no longer matches.
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    const index = 'IDX_tasks_createdAt_id';
    const { rootpage } = db
      .prepare(`SELECT rootpage FROM sqlite_master WHERE name = ?`)
      .get(index) as { rootpage: number };
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const createdAt = db.prepare('SELECT createdAt FROM tasks LIMIT 1').pluck().get() as string;
    db.close();
    const file = readFileSync(path);
    const page = file.subarray((rootpage - 1) * pageSize, rootpage * pageSize);
    const at = page.indexOf(createdAt);
    expect(at).toBeGreaterThan(0);
    page[at + 1] = page[at + 1] === 0x39 ? 0x38 : 0x39;
    writeFileSync(path, file);
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const result = await copyCommand(path, url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('integrity_check failed; nothing was copied');
    expect(result.stderr).toContain('IDX_tasks_createdAt_id');
    expect(result.stdout).not.toContain('Committed');
    expect(Object.values(await pgCounts(url)).every((n) => !n)).toBe(true);
  });

  it('rolls back, releases its locks and exits 1 when reading a source row fails mid-copy', async () => {
    // A task whose notes span a chain of overflow pages; one link of the chain is made to point
    // past the end of the file. Everything before the copy reads only the rows' first bytes
    // (counts, foreign_key_check), so the read fails inside the copy loop with SQLITE_CORRUPT.
    const path = cloneSqlite(sqlitePath, 'overflow');
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.prepare(
      `INSERT INTO tasks (id, projectId, title, searchKey, notes, createdAt, updatedAt) VALUES (800, 4, 'long', 'long', ?, '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`,
    ).run('x'.repeat(40_000));
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const file = readFileSync(path);
    const pages = file.length / pageSize;
    const overflow = Array.from({ length: pages }, (_, i) => i).find((i) => {
      const page = file.subarray(i * pageSize, (i + 1) * pageSize);
      const next = page.readUInt32BE(0);
      return next > 1 && next <= pages && page.subarray(4).every((byte) => byte === 0x78);
    });
    expect(overflow).toBeDefined();
    file.writeUInt32BE(0x0fffffff, overflow! * pageSize);
    writeFileSync(path, file);

    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const { child, result } = spawnCli(['db:copy', '--from', path, '--to', url]);
    const hung = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const failed = await result;
    clearTimeout(hung);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^Error: Reading tasks from the source failed \(SQLITE_CORRUPT.*nothing was written/,
    );
    expect(failed.stdout).not.toContain('Committed');
    expect(await pgCounts(url)).toEqual({ projects: 0, tags: 0, tasks: 0, task_tags: 0 });
    await withPg(url, async (c) => {
      const { rows } = await c.query(
        `SELECT a.pid, l.mode, l.relation::regclass::text AS relation
           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()`,
      );
      expect(rows).toEqual([]);
    });
  });

  it('reports unconvertible values, or writes NULL with --on-invalid=null', async () => {
    const path = cloneSqlite(sqlitePath, 'invalid');
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO tasks (id, projectId, title, searchKey, dueAt, metadata, createdAt, updatedAt) VALUES (?, 4, 'bad', 'bad', ?, ?, '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`,
    );
    insert.run(900, '', null);
    insert.run(901, '2024-02-30 10:00', '{"unterminated": ');
    insert.run(902, null, Infinity); // how SQLite stores the REAL 1e400
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const failed = await copyCommand(path, url);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('tasks id=900 column dueAt: not a date/time, value ""');
    expect(failed.stderr).toContain('tasks id=901 column metadata: invalid JSON');
    expect(failed.stderr).toContain('tasks id=902 column metadata: not a finite number');
    expect((await pgCounts(url)).tasks).toBe(0);

    const nulled = await copyCommand(path, url, '--on-invalid=null');
    expect(nulled.code).toBe(0);
    expect(nulled.stdout).toContain('Set to NULL: tasks id=901 column dueAt');
    await withPg(url, async (c) => {
      const { rows } = await c.query(
        `SELECT "dueAt", metadata FROM tasks WHERE id IN (900, 901, 902) ORDER BY id`,
      );
      expect(rows).toEqual([
        { dueAt: null, metadata: null },
        { dueAt: null, metadata: null },
        { dueAt: null, metadata: null },
      ]);
    });
  });

  it('names what PostgreSQL refused: detail, where (the COPY line) and the constraint', async () => {
    const path = cloneSqlite(sqlitePath, 'check');
    const db = new Database(path);
    db.pragma('ignore_check_constraints = ON'); // as an old app version or a hand edit could
    db.prepare(`UPDATE tasks SET priority = 9 WHERE id = 30`).run();
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const plain = await copyCommand(path, url);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('violates check constraint "CHK_tasks_priority"');
    expect(plain.stderr).toMatch(/\n {2}detail: Failing row contains \(30, .*\)/);
    expect(plain.stderr).toMatch(/\n {2}where: COPY tasks, line \d+/);
    expect(plain.stderr).toContain('\n  table: tasks\n  constraint: CHK_tasks_priority');
    expect(plain.stderr).not.toMatch(/postgres:\/\/|password/i);
    expect((await pgCounts(url)).tasks).toBe(0);

    const json = await copyCommand(path, url, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: expect.stringContaining('CHK_tasks_priority'),
      postgres: {
        code: '23514',
        detail: expect.stringMatching(/^Failing row contains \(30, /),
        where: expect.stringMatching(/^COPY tasks, line \d+/),
        table: 'tasks',
        constraint: 'CHK_tasks_priority',
      },
    });
  });

  it('the dry run refuses what the copy refuses, and writes nothing', async () => {
    const empty = { projects: null, tags: null, tasks: null, task_tags: null };
    // Another application's projects table: refused before any migration runs.
    const foreign = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    await withPg(foreign, (c) => c.query('CREATE TABLE projects (id int, label text)'));
    const foreignDry = await copyCommand(sqlitePath, foreign, '--dry-run');
    const foreignCopy = await copyCommand(sqlitePath, foreign);
    for (const result of [foreignDry, foreignCopy]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/already has table\(s\) projects, but none of this app's/);
    }
    expect(await pgCounts(foreign)).toEqual({ ...empty, projects: 0 });

    // Values the conversion refuses: every value is converted in the dry run too.
    const path = cloneSqlite(sqlitePath, 'nul');
    const db = new Database(path);
    db.prepare(`UPDATE tasks SET title = 'a' || char(0) || 'b' WHERE id = 40`).run();
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const dry = await copyCommand(path, url, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('tasks id=40 column title: contains a NUL character');
    expect(await pgCounts(url)).toEqual(empty); // not even migrated
    const copy = await copyCommand(path, url);
    expect({ code: copy.code, stderr: withoutMigrationNote(copy.stderr) }).toEqual({
      code: 1,
      stderr: dry.stderr,
    });

    const nullable = cloneSqlite(sqlitePath, 'nul-notes');
    const notes = new Database(nullable);
    notes.prepare(`UPDATE tasks SET notes = 'a' || char(0) WHERE id = 40`).run();
    notes.close();
    const fresh = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const nulled = await copyCommand(nullable, fresh, '--dry-run', '--on-invalid=null');
    expect(nulled.code).toBe(0);
    expect(nulled.stdout).toContain(
      'Would set to NULL: tasks id=40 column notes: contains a NUL character',
    );
    expect(await pgCounts(fresh)).toEqual(empty);
  });

  it('refuses TEXT that is not valid UTF-8 (read lossily as U+FFFD), keeps a genuine U+FFFD', async () => {
    const path = cloneSqlite(sqlitePath, 'utf8');
    const db = new Database(path);
    db.exec(`UPDATE tasks SET notes = CAST(x'636166e9' AS TEXT) WHERE id = 20`); // 'caf' + 0xE9
    db.prepare(`UPDATE tasks SET notes = ? WHERE id = 30`).run('kept \uFFFD as written');
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const failed = await copyCommand(path, url);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('tasks id=20 column notes: not valid UTF-8');
    expect(failed.stderr).not.toContain('id=30');
    expect((await pgCounts(url)).tasks).toBe(0);
    // The target's migrations committed before the copy failed: the message says that a rerun
    // works, and the runs below are such reruns.
    expect(failed.stderr).toMatch(
      /The target's migrations ran before the copy and stay \(InitialSchema\d+, .*\); its tables hold no rows of this copy: run db:copy again once the cause is fixed\./,
    );
    // The dry run re-checks the same values.
    const dry = await copyCommand(path, url, '--dry-run');
    expect({ code: dry.code, stderr: dry.stderr }).toEqual({
      code: 1,
      stderr: withoutMigrationNote(failed.stderr),
    });
    const dryNull = await copyCommand(path, url, '--dry-run', '--on-invalid=null');
    expect(dryNull.code).toBe(0);
    expect(dryNull.stdout).toContain(
      'Would set to NULL: tasks id=20 column notes: not valid UTF-8',
    );

    const nulled = await copyCommand(path, url, '--on-invalid=null');
    expect(nulled.code).toBe(0);
    await withPg(url, async (c) => {
      const { rows } = await c.query(
        `SELECT id, notes FROM tasks WHERE id IN (20, 30) ORDER BY id`,
      );
      expect(rows).toEqual([
        { id: 20, notes: null },
        { id: 30, notes: 'kept \uFFFD as written' },
      ]);
    });
    // db:verify sees the invalid bytes too: NULL in the target matches (as the copy wrote it),
    // the lossy text the bytes decode to does not.
    const verified = await runCli('db:verify', '--from', path, '--to', url);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(
      'Warning: tasks id=20 column notes: not valid UTF-8 (db:copy refuses it; counted as NULL)',
    );
    await withPg(url, (c) => c.query(`UPDATE tasks SET notes = 'caf\uFFFD' WHERE id = 20`));
    const lossy = await runCli('db:verify', '--from', path, '--to', url);
    expect(lossy.code).toBe(1);
    expect(lossy.stdout).toContain('first difference: tasks id=20 column notes: source NULL');
  });

  it('refuses a source or a target migrated by a newer app version (unknown migrations)', async () => {
    const newer = 'AddTaskColour1899999999999';
    const empty = { projects: null, tags: null, tasks: null, task_tags: null };
    const path = cloneSqlite(sqlitePath, 'newer');
    const db = new Database(path);
    db.prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)').run(1899999999999, newer);
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    for (const [command, ...flags] of [['db:copy'], ['db:copy', '--dry-run'], ['db:verify']]) {
      const result = await runCli(command, '--from', path, '--to', url, ...flags);
      expect({ command, flags, code: result.code }).toEqual({ command, flags, code: 2 });
      expect(result.stderr).toContain(
        `The source has migrations this build does not know (${newer})`,
      );
      expect(result.stderr).toMatch(/newer version of the app/);
    }
    expect(await pgCounts(url)).toEqual(empty); // not even migrated

    const target = await openTargetDataSource(url);
    await target.runMigrations();
    await target.query('INSERT INTO migrations (timestamp, name) VALUES ($1, $2)', [
      1899999999999,
      newer,
    ]);
    await target.destroy();
    for (const [command, ...flags] of [['db:copy'], ['db:copy', '--dry-run'], ['db:verify']]) {
      const started = Date.now();
      const result = await runCli(command, '--from', sqlitePath, '--to', url, ...flags);
      // No connection left open keeps it alive once refused (pg's pool would for 10 s).
      const prompt = Date.now() - started < 5000;
      expect({ command, flags, code: result.code, prompt }).toEqual({
        command,
        flags,
        code: 2,
        prompt: true,
      });
      expect(result.stderr).toContain(
        `The target has migrations this build does not know (${newer})`,
      );
      expect(result.stderr).toMatch(/newer version of the app/);
    }
    expect(await pgCounts(url)).toEqual({ projects: 0, tags: 0, tasks: 0, task_tags: 0 });
  });

  it('copies JSON numbers beyond a double exactly; db:verify sees a change in their digits', async () => {
    const path = cloneSqlite(sqlitePath, 'json-digits');
    const written = '{"n": 12345678901234567890, "m": [-98765432109876543210.5, 1.50]}';
    const db = new Database(path);
    db.prepare(`UPDATE tasks SET metadata = ? WHERE id = 20`).run(written);
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
    await withPg(url, (c) =>
      c.query(`UPDATE tasks SET metadata = jsonb_set(metadata, '{n}', '12345678901234567891')
                WHERE id = 20`),
    );
    const verify = await runCli('db:verify', '--from', path, '--to', url);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('first difference: tasks id=20 column metadata');
  });

  it('copies rows that live only in the -wal file of a live database', async () => {
    const path = cloneSqlite(sqlitePath, 'wal');
    const writer = new Database(path);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    const insert = writer.prepare(
      `INSERT INTO projects (name, nameKey, archived, createdAt, updatedAt) VALUES (?, ?, 0, '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`,
    );
    for (let i = 0; i < 50; i++) insert.run(`WAL ${i}`, `wal ${i}`);
    try {
      const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
      const result = await copyCommand(path, url);
      expect(result.code).toBe(0);
      const counts = await pgCounts(url);
      expect(counts.projects).toBe(sqliteCounts(sqlitePath).projects + 50);
    } finally {
      writer.close();
    }
  });

  it('converts epoch-number datetimes (seconds, milliseconds, 0)', async () => {
    // Not in the API fixture: TypeORM on SQLite hands epoch numbers through as numbers, so the
    // API on the SQLite file itself cannot serve these rows; the values are checked in PostgreSQL.
    const path = cloneSqlite(sqlitePath, 'epoch');
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO tasks (id, projectId, title, searchKey, dueAt, createdAt, updatedAt) VALUES (?, 4, 'epoch', 'epoch', ?, ?, ?)`,
    );
    insert.run(700, 1709294400123, 1709294400, '2024-03-01 12:00:00.000');
    insert.run(701, 1709294400, 1709294400123, 1709294400123);
    insert.run(702, 0, 0, '2024-03-01T12:00:00Z');
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
        [702, '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z', '2024-03-01T12:00:00.000Z'],
      ]);
    });
  });

  it('refuses while another connection holds a write transaction, unless --force', async () => {
    const path = cloneSqlite(sqlitePath, 'writer');
    const writer = new Database(path);
    writer.pragma('journal_mode = WAL');
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare(`UPDATE projects SET description = 'uncommitted' WHERE id = 4`).run();
    try {
      const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
      const refused = await copyCommand(path, url);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/live writer.*miss every later write.*--force/s);
      expect(await pgCounts(url)).toEqual({
        projects: null,
        tags: null,
        tasks: null,
        task_tags: null,
      });

      const forced = await copyCommand(path, url, '--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/Warning: another connection holds a write transaction/);
      expect(await pgCounts(url)).toEqual(sqliteCounts(sqlitePath));
      await withPg(url, async (c) => {
        const { rows } = await c.query(`SELECT description FROM projects WHERE id = 4`);
        expect(rows[0].description).not.toBe('uncommitted'); // the snapshot, not the open write
      });
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('refuses a file with a hot rollback journal (a writer killed mid-transaction)', async () => {
    const path = cloneSqlite(sqlitePath, 'hot-journal');
    const setup = new Database(path);
    setup.pragma('journal_mode = DELETE');
    setup.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
      INSERT INTO tasks (id, projectId, title, searchKey, notes, createdAt, updatedAt)
      SELECT 2000 + i, 4, 'Row ' || i, 'row ' || i, 'committed__', '2024-03-01 12:00:00.000',
             '2024-03-01 12:00:00.000' FROM n`);
    setup.close();
    // A tiny cache makes SQLite write uncommitted pages into the file itself (the -journal keeps
    // the originals); SIGKILL then leaves the file and its hot journal as a crash would. The new
    // notes have the old length, so the pages change in place: read as they are, they look fine.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.pragma('cache_size = 5');
         db.exec('BEGIN');
         db.prepare("UPDATE tasks SET notes = 'uncommitted' WHERE id > 2000").run();
         console.log('written');
         setInterval(() => {}, 1000);`,
        path,
      ],
      { cwd: join(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => writer.stdout!.once('data', () => resolve()));
    writer.kill('SIGKILL');
    await new Promise((resolve) => writer.once('exit', resolve));
    expect(statSync(`${path}-journal`).size).toBeGreaterThan(0);

    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const refused = await copyCommand(path, url);
    expect(refused.stderr).toMatch(
      /hot journal .*-journal\) from an interrupted write.*Open it once with the app or sqlite3.*rolls the journal back/s,
    );
    expect(refused.code).toBe(2);
    expect((await pgCounts(url)).tasks).toBeNull(); // refused before the target was touched

    const rollBack = new Database(path); // what the message advises: a read-write open
    rollBack.prepare('SELECT count(*) FROM tasks').get();
    rollBack.close();
    const copied = await copyCommand(path, url);
    expect(copied.code).toBe(0);
    await withPg(url, async (c) => {
      const { rows } = await c.query(
        `SELECT count(*)::int AS n FROM tasks WHERE notes LIKE 'uncommitted%'`,
      );
      expect(rows[0].n).toBe(0);
    });
  });

  it('reads a WAL-mode file on a read-only mount with immutable=1 (refuses a non-empty -wal)', async () => {
    const base = mkdtempSync(join(tmpdir(), 'db-copy-ro-'));
    const [src, ro] = [join(base, 'src'), join(base, 'ro')];
    mkdirSync(src);
    mkdirSync(ro);
    const path = join(src, 'app.sqlite');
    copyFileSync(sqlitePath, path);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.close(); // a stopped app: WAL mode in the header, no -wal or -shm
    try {
      execFileSync('mount', ['--bind', src, ro], { stdio: 'ignore' });
    } catch {
      console.warn(
        'SKIPPED: mount --bind is not permitted here (the unit tests cover the fallback)',
      );
      rmSync(base, { recursive: true, force: true });
      return;
    }
    try {
      execFileSync('mount', ['-o', 'remount,ro,bind', ro], { stdio: 'ignore' });
      const plain = new Database(join(ro, 'app.sqlite'), { readonly: true, fileMustExist: true });
      expect(() => plain.pragma('schema_version')).toThrow(); // the failure being worked around
      plain.close();
      const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
      const copied = await runCli('db:copy', '--from', join(ro, 'app.sqlite'), '--to', url);
      expect(copied.stderr).toBe('');
      expect(copied.code).toBe(0);
      expect(copied.stdout).toMatch(/Warning: .*immutable=1.*assumes no process writes/);
      expect(await pgCounts(url)).toEqual(sqliteCounts(sqlitePath));

      // Uncheckpointed rows in a -wal without -shm: immutable=1 would ignore them, so refuse.
      execFileSync('umount', [ro]);
      const writer = new Database(path);
      writer.pragma('wal_autocheckpoint = 0');
      writer.prepare(`UPDATE projects SET description = 'in wal' WHERE id = 4`).run();
      const walCopy = join(base, 'wal');
      mkdirSync(walCopy);
      copyFileSync(path, join(walCopy, 'app.sqlite'));
      copyFileSync(`${path}-wal`, join(walCopy, 'app.sqlite-wal'));
      writer.close();
      execFileSync('mount', ['--bind', walCopy, ro], { stdio: 'ignore' });
      execFileSync('mount', ['-o', 'remount,ro,bind', ro], { stdio: 'ignore' });
      const refused = await runCli(
        'db:copy',
        '--from',
        join(ro, 'app.sqlite'),
        '--to',
        url,
        '--truncate',
      );
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/-wal holds rows not yet checkpointed/);
    } finally {
      execFileSync('umount', [ro], { stdio: 'ignore' });
      rmSync(base, { recursive: true, force: true });
    }
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

    const notSqlite = `${sqlitePath}.txt`;
    writeFileSync(notSqlite, 'this is not a database, just text '.repeat(200));
    const wrong = await copyCommand(notSqlite, targetUrl);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Not a SQLite database');

    const unreachable = await copyCommand(sqlitePath, 'postgres://app:s3cret-pw@127.0.0.1:1/app');
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('Cannot connect to PostgreSQL at 127.0.0.1:1');
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

    const usage = await runCli('db:copy');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--from <sqlite file> is required');
  });
});

describe('db:copy and db:verify command line', () => {
  const from = '/nonexistent/app.sqlite'; // bad usage is refused before the source is opened
  const to = 'postgres://app:s3cret-pw@127.0.0.1:1/app';

  it.each([
    [
      'an unknown option',
      ['db:copy', '--from', from, '--to', to, '--bogus'],
      /Unknown option '--bogus'/,
    ],
    [
      'a missing option value',
      ['db:copy', '--to', to, '--from'],
      /--from <value>' argument missing/,
    ],
    [
      'a value for a boolean flag',
      ['db:copy', '--from', from, '--to', to, '--truncate=yes'],
      /'--truncate' does not take an argument/,
    ],
    [
      'an extra argument',
      ['db:copy', 'extra', '--from', from, '--to', to],
      /Unexpected argument: extra/,
    ],
    [
      '--dry-run on db:verify',
      ['db:verify', '--from', from, '--to', to, '--dry-run'],
      /--dry-run is a db:copy flag/,
    ],
    [
      '--truncate on db:verify',
      ['db:verify', '--from', from, '--to', to, '--truncate'],
      /--truncate is a db:copy flag/,
    ],
    [
      'a --to with malformed percent-encoding',
      ['db:copy', '--from', from, '--to', 'postgres://app:s3cret%zz@127.0.0.1:1/app'],
      /--to: not a valid URL \(malformed percent-encoding\)/,
    ],
  ])('refuses %s as bad usage (exit 2)', async (_, args, message) => {
    const result = await runCli(...args);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage:');
    expect(result.stderr + result.stdout).not.toContain('s3cret');
    expect(result.code).toBe(2);
  });
});
