import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { freshDatabaseEnv, startApi, TestApi } from '../../../tools/testing/test-api';
import { cloneSqlite, pgCounts, runCli, spawnCli, sqliteCounts, withPg } from './cli';

jest.setTimeout(180_000);

/** Every project as the API returns it: all list pages plus each single resource. */
async function projectsSnapshot(api: TestApi): Promise<Record<string, unknown>> {
  const snapshot: Record<string, unknown> = {};
  for (let offset = 0; ; offset += 100) {
    const page = await api.request('GET', `/api/projects?limit=100&offset=${offset}`);
    expect(page.status).toBe(200);
    snapshot[`page ${offset}`] = page.body;
    for (const item of page.body.items) {
      snapshot[`/api/projects/${item.id}`] = (
        await api.request('GET', `/api/projects/${item.id}`)
      ).body;
    }
    if (offset + 100 >= page.body.total) return snapshot;
  }
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
  db.prepare('INSERT INTO tags (id, name, nameKey, color) VALUES (?, ?, ?, ?)').run(
    3,
    'Ünï',
    'ünï',
    null,
  );
  db.prepare('INSERT INTO tags (id, name, nameKey, color) VALUES (?, ?, ?, ?)').run(
    9,
    'red',
    'red',
    '#ff0000',
  );
  const task = db.prepare(
    'INSERT INTO tasks (id, projectId, title, notes, searchKey, status, priority, dueAt, estimateHours, metadata, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const dueForms = [
    '2024-03-01 12:00:00.123',
    '2024-03-01T12:00:00Z',
    1709294400123,
    1709294400,
    0,
    null,
  ];
  for (let id = 1; id <= 12; id++) {
    task.run(
      id * 10,
      id % 2 ? 500 : 4,
      `Task ${id} ${TEXTS[id % 3]}`,
      TEXTS[id % 4],
      `task ${id}`,
      'todo',
      1 + (id % 5),
      dueForms[id % dueForms.length],
      id % 3 ? id * 1.25 : null,
      id % 2
        ? JSON.stringify({
            z: 1,
            a: { nested: [1, 'two', { three: null }] },
            big: 2 ** 40,
            s: TEXTS[1],
          })
        : null,
      '2024-03-01 12:00:00.123',
      1709294400123,
    );
  }
  const link = db.prepare('INSERT INTO task_tags (taskId, tagId) VALUES (?, ?)');
  link.run(10, 3);
  link.run(10, 9);
  link.run(20, 9);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
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
    await api.close();
    addAwkwardRows(sqlitePath);
    const sqliteApi = await startApi(env);
    sourceSnapshot = await projectsSnapshot(sqliteApi);
    await sqliteApi.close();
    targetUrl = (await freshDatabaseEnv('postgres')).DATABASE_URL;
  });

  it('copies every row with types converted; the API on PostgreSQL answers the same JSON', async () => {
    const dry = await runCli(
      'db:copy',
      '--from',
      sqlitePath,
      '--to',
      targetUrl,
      '--dry-run',
      '--json',
    );
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout).plan.map((p: { table: string }) => p.table);
    expect(plan.indexOf('projects')).toBeLessThan(plan.indexOf('tasks'));
    expect(plan.indexOf('tasks')).toBeLessThan(plan.indexOf('task_tags'));
    expect((await pgCounts(targetUrl)).projects).toBeNull(); // dry run wrote nothing

    const copy = await runCli('db:copy', '--from', sqlitePath, '--to', targetUrl);
    expect(copy.stderr).toBe('');
    expect(copy.code).toBe(0);
    expect(copy.stdout).toContain('Verification passed');
    expect(await pgCounts(targetUrl)).toEqual(sqliteCounts(sqlitePath));

    const pgApi = await startApi({ DB_TYPE: 'postgres', DATABASE_URL: targetUrl });
    try {
      const snapshot = await projectsSnapshot(pgApi);
      const archivedByText = (snapshot['/api/projects/101'] as { archived: boolean }).archived;
      expect(archivedByText).toBe(true);
      expect(snapshot).toEqual(sourceSnapshot);
      const created = await pgApi.request('POST', '/api/projects', { name: 'After the move' });
      expect(created.status).toBe(201);
      expect(created.body.id).toBeGreaterThan(500);
      await pgApi.request('DELETE', `/api/projects/${created.body.id}`);
    } finally {
      await pgApi.close();
    }

    await withPg(targetUrl, async (client) => {
      const { rows } = await client.query(
        `SELECT id, "dueAt", "estimateHours", metadata, "updatedAt" FROM tasks ORDER BY id`,
      );
      const due = Object.fromEntries(rows.map((r) => [r.id, r.dueAt?.toISOString() ?? null]));
      expect(due[10]).toBe('2024-03-01T12:00:00.000Z');
      expect(due[20]).toBe('2024-03-01T12:00:00.123Z'); // epoch milliseconds
      expect(due[30]).toBe('2024-03-01T12:00:00.000Z'); // epoch seconds
      expect(due[40]).toBe('1970-01-01T00:00:00.000Z'); // epoch 0 is a valid instant
      expect(due[50]).toBeNull();
      expect(due[60]).toBe('2024-03-01T12:00:00.123Z');
      expect(rows[0].estimateHours).toBe('1.25');
      expect(rows[0].metadata).toEqual({
        z: 1,
        a: { nested: [1, 'two', { three: null }] },
        big: 2 ** 40,
        s: TEXTS[1],
      });
      expect(rows[0].updatedAt.toISOString()).toBe('2024-03-01T12:00:00.123Z');
    });
    const verify = await runCli('db:verify', '--from', sqlitePath, '--to', targetUrl);
    expect(verify.code).toBe(0);
  });

  it('refuses a second copy into the filled target; --truncate replaces with the same counts', async () => {
    const again = await runCli('db:copy', '--from', sqlitePath, '--to', targetUrl);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds rows.*--truncate/s);
    const truncate = await runCli('db:copy', '--from', sqlitePath, '--to', targetUrl, '--truncate');
    expect(truncate.code).toBe(0);
    expect(await pgCounts(targetUrl)).toEqual(sqliteCounts(sqlitePath));
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
    const result = await runCli('db:copy', '--from', path, '--to', url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('task_tags rowid=');
    expect(result.stderr).toContain('missing tags (tagId=777)');
    expect(Object.values(await pgCounts(url)).every((n) => !n)).toBe(true);
  });

  it('reports unconvertible values, or writes NULL with --on-invalid=null', async () => {
    const path = cloneSqlite(sqlitePath, 'invalid');
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO tasks (id, projectId, title, searchKey, dueAt, metadata, createdAt, updatedAt) VALUES (?, 4, 'bad', 'bad', ?, ?, '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`,
    );
    insert.run(900, '', null);
    insert.run(901, '2024-02-30 10:00', '{"unterminated": ');
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const failed = await runCli('db:copy', '--from', path, '--to', url);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('tasks id=900 column dueAt: not a date/time, value ""');
    expect(failed.stderr).toContain('tasks id=901 column metadata: invalid JSON');
    expect((await pgCounts(url)).tasks).toBe(0);

    const nulled = await runCli('db:copy', '--from', path, '--to', url, '--on-invalid=null');
    expect(nulled.code).toBe(0);
    expect(nulled.stdout).toContain('Set to NULL: tasks id=901 column dueAt');
    await withPg(url, async (c) => {
      const { rows } = await c.query(`SELECT "dueAt", metadata FROM tasks WHERE id IN (900, 901)`);
      expect(rows).toEqual([
        { dueAt: null, metadata: null },
        { dueAt: null, metadata: null },
      ]);
    });
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
      const result = await runCli('db:copy', '--from', path, '--to', url);
      expect(result.code).toBe(0);
      const counts = await pgCounts(url);
      expect(counts.projects).toBe(sqliteCounts(sqlitePath).projects + 50);
    } finally {
      writer.close();
    }
  });

  it('leaves the target unchanged when killed mid-copy; a rerun succeeds', async () => {
    const path = cloneSqlite(sqlitePath, 'big');
    const db = new Database(path);
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
      INSERT INTO tasks (id, projectId, title, notes, searchKey, dueAt, metadata, createdAt, updatedAt)
      SELECT 1000 + i, 4, 'Generated ' || i, 'notes ' || i, 'generated ' || i, '2024-03-01 12:00:00.000',
             '{"i":' || i || '}', '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000' FROM n`);
    db.close();
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

    const rerun = await runCli('db:copy', '--from', path, '--to', url);
    expect(rerun.code).toBe(0);
    expect(await pgCounts(url)).toEqual(sqliteCounts(path));
  });

  it('explains bad input without leaking the password', async () => {
    const missing = await runCli('db:copy', '--from', '/nonexistent/app.sqlite', '--to', targetUrl);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Source not found: /nonexistent/app.sqlite');

    const notSqlite = `${sqlitePath}.txt`;
    writeFileSync(notSqlite, 'this is not a database, just text '.repeat(200));
    const wrong = await runCli('db:copy', '--from', notSqlite, '--to', targetUrl);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Not a SQLite database');

    const unreachable = await runCli(
      'db:copy',
      '--from',
      sqlitePath,
      '--to',
      'postgres://app:s3cret-pw@127.0.0.1:1/app',
    );
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('Cannot connect to PostgreSQL at 127.0.0.1:1');
    expect(unreachable.stderr + unreachable.stdout).not.toContain('s3cret-pw');

    const usage = await runCli('db:copy');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--from <sqlite file> is required');
  });
});
