import { DataSource } from 'typeorm';
import { copyDatabase } from '@app/db-copy';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '@app/database';
import { dataSourceWithMigrations } from '../../../tools/testing/migrated-data-source';
import { readSqlite } from '../../../tools/testing/read-sqlite';
import { Dialect, DIALECTS, freshDatabaseEnv, startApi } from '../../../tools/testing/test-api';

/**
 * An older release's database, with its data stored as that release stored it, opened by this
 * build: the migrations run at start, and the API answers what the older one answered (and the
 * metadata the SQLite PATCH bug damaged as the client sent it). Each older release is the
 * last migration it shipped.
 */
const RELEASES = [
  'InitialSchema1795696627000',
  'TasksCreatedAtIndex1795708025110',
  'UnboundedNameKeys1795833677418',
];

/**
 * How a release stored a task's metadata. PostgreSQL: jsonb, always. SQLite: JSON text (a create
 * through the API's own insert), binary JSONB (TypeORM's save: a PATCH), or, after a PATCH,
 * each later save of the task wrapped the JSONB's bytes as `{"type":"Buffer","data":[…]}` once
 * more (the bug RepairBufferMetadata repairs).
 */
type StoredAs = 'text' | 'jsonb' | 'saved once' | 'saved twice';

async function storedMetadata(
  dataSource: DataSource,
  value: object | null,
  as: StoredAs,
): Promise<unknown> {
  if (value === null) return null;
  if (dataSource.options.type === 'postgres' || as === 'text') return JSON.stringify(value);
  const jsonb = async (json: string): Promise<Buffer> =>
    (await dataSource.query('SELECT jsonb(?) AS b', [json]))[0].b;
  let stored = await jsonb(JSON.stringify(value));
  const saves = { jsonb: 0, 'saved once': 1, 'saved twice': 2 }[as];
  for (let i = 0; i < saves; i++) stored = await jsonb(JSON.stringify(stored.toJSON()));
  return stored;
}

/** Inserts `row` as the release's app did (ids from the table's AUTOINCREMENT or sequence). */
async function insert(dataSource: DataSource, table: string, row: Record<string, unknown>) {
  const sqlite = dataSource.options.type !== 'postgres';
  const columns = Object.keys(row);
  const values = Object.values(row).map((v) => (sqlite && typeof v === 'boolean' ? Number(v) : v));
  const params = columns.map((_, i) => (sqlite ? '?' : `$${i + 1}`)).join(', ');
  const names = columns.map((c) => `"${c}"`).join(', ');
  await dataSource.query(`INSERT INTO "${table}" (${names}) VALUES (${params})`, values);
}

/** A date as TypeORM writes it on each dialect (SQLite: UTC text without a zone). */
function stored(iso: string, dialect: Dialect): string {
  return dialect === 'sqlite' ? iso.replace('T', ' ').replace('Z', '') : iso;
}

const CREATED = '2026-01-10T08:00:00.000Z';
const UPDATED = '2026-02-20T17:45:30.123Z';
const DATES = { createdAt: CREATED, updatedAt: UPDATED };

/** Names with the case and NFKC edge cases (U+FDFA's key is 18 code points; ß is not SS). */
const PROJECTS = [
  { id: 1, name: 'Garden', description: 'Beds & paths 🌱\nline 2', archived: false, ...DATES },
  { id: 2, name: 'ﷺ', description: null, archived: true, ...DATES },
  { id: 3, name: 'Straße', description: null, archived: false, ...DATES },
];
const TAGS = [
  { id: 1, name: 'urgent', color: '#ff0000' },
  { id: 2, name: 'ﷺ', color: null },
  { id: 3, name: 'Straße', color: null },
  { id: 4, name: 'STRASSE', color: '#00aa00' },
];
/** Each task as the older release answered it (its SQLite by-id reads aside: the bug). */
const TASKS = [
  {
    ...{ id: 1, projectId: 1, title: 'Water the roses', notes: 'Every Straße corner' },
    ...{ status: 'todo', priority: 2, dueAt: '2030-01-15T08:00:00.000Z', estimateHours: 1.5 },
    ...{ metadata: { z: 1, a: { list: [1, 'é', null], ok: true } }, tags: ['Straße', 'urgent'] },
  },
  {
    ...{ id: 2, projectId: 1, title: 'ﷺ prayer times', notes: null },
    ...{ status: 'in_progress', priority: 3, dueAt: null, estimateHours: null },
    ...{ metadata: { b: 2, a: 1 }, tags: [] },
  },
  {
    ...{ id: 3, projectId: 3, title: 'Buy a STRASSE map', notes: 'second line' },
    ...{ status: 'done', priority: 5, dueAt: '2026-03-29T09:30:00.123Z', estimateHours: 12.25 },
    ...{ metadata: { nested: { deep: [{ x: 'ü' }] }, emoji: '😀', n: 1.5 }, tags: ['STRASSE'] },
  },
  {
    ...{ id: 4, projectId: 3, title: 'Saved twice', notes: null },
    ...{ status: 'todo', priority: 1, dueAt: '1999-12-31T22:00:00.000Z', estimateHours: 0 },
    ...{ metadata: { owner: 'Straße', rev: 3 }, tags: [] },
  },
  {
    ...{ id: 5, projectId: 2, title: 'No metadata', notes: 'ﬁx it' },
    ...{ status: 'todo', priority: 4, dueAt: null, estimateHours: 999999.99 },
    ...{ metadata: null, tags: ['STRASSE', 'ﷺ'] },
  },
].map((task) => ({ ...task, ...DATES }));
/** How the older release had stored each of TASKS' metadata on SQLite. */
const METADATA_STORED_AS: StoredAs[] = ['text', 'jsonb', 'saved once', 'saved twice', 'text'];

const key = (text: string) => text.normalize('NFKC').toLowerCase();

/**
 * The older release's data: PROJECTS, TAGS and TASKS, stored as it stored them, and project 4,
 * tag 5 and tasks 6 and 7, deleted (their ids are never handed out again).
 */
async function seedOlderRelease(dataSource: DataSource, dialect: Dialect): Promise<void> {
  const dates = { createdAt: stored(CREATED, dialect), updatedAt: stored(UPDATED, dialect) };
  for (const { name, description, archived } of PROJECTS) {
    await insert(dataSource, 'projects', {
      name,
      nameKey: key(name),
      description,
      archived,
      ...dates,
    });
  }
  await insert(dataSource, 'projects', { name: 'Gone', nameKey: 'gone', ...dates });
  for (const { name, color } of TAGS) {
    await insert(dataSource, 'tags', { name, nameKey: key(name), color });
  }
  await insert(dataSource, 'tags', { name: 'gone', nameKey: 'gone' });
  const gone = { notes: null, status: 'todo', priority: 3, dueAt: null, estimateHours: null };
  const tasks = [
    ...TASKS,
    { ...gone, projectId: 1, title: 'Deleted', metadata: { x: 1 }, tags: ['urgent', 'gone'] },
    { ...gone, projectId: 4, title: 'In the deleted project', metadata: null, tags: [] },
  ];
  for (const [i, task] of tasks.entries()) {
    const { projectId, title, notes, status, priority, dueAt, estimateHours, metadata } = task;
    await insert(dataSource, 'tasks', {
      ...{ projectId, title, notes, searchKey: key(`${title}\n${notes ?? ''}`), status, priority },
      ...{ dueAt: dueAt && stored(dueAt, dialect), estimateHours },
      metadata: await storedMetadata(dataSource, metadata, METADATA_STORED_AS[i] ?? 'jsonb'),
      ...dates,
    });
    for (const name of task.tags) {
      const tagId = name === 'gone' ? 5 : TAGS.find((tag) => tag.name === name)!.id;
      await insert(dataSource, 'task_tags', { taskId: i + 1, tagId });
    }
  }
  // The older app deleted them (its DELETEs cascade; here the links go first).
  await dataSource.query('DELETE FROM "task_tags" WHERE "taskId" IN (6, 7) OR "tagId" = 5');
  await dataSource.query('DELETE FROM "tasks" WHERE "id" IN (6, 7)');
  await dataSource.query('DELETE FROM "projects" WHERE "id" = 4');
  await dataSource.query('DELETE FROM "tags" WHERE "id" = 5');
}

const ids = (body: { items: { id: number }[] }) => body.items.map((item) => item.id);

describe.each(DIALECTS)('%s: upgrade from an older release with data', (dialect) => {
  it.each(RELEASES)('released with %s as its last migration', async (release) => {
    const env = await freshDatabaseEnv(dialect);
    const older = dataSourceWithMigrations(env, { through: release });
    await older.initialize();
    await older.runMigrations({ transaction: 'each' });
    await seedOlderRelease(older, dialect);
    await older.destroy();
    if (dialect === 'sqlite') {
      // The fixture holds the bug's damage for the upgrade to repair.
      const wrapped = readSqlite(env.SQLITE_PATH, (db) =>
        db
          .prepare(`SELECT id FROM tasks WHERE json(metadata) LIKE '{"type":"Buffer",%'`)
          .pluck()
          .all(),
      );
      expect(wrapped).toEqual([3, 4]);
    }

    // The older release stopped, this build started on its database: migrations run at start.
    const api = await startApi(env);
    try {
      const recorded = await api.app
        .get(DataSource)
        .query('SELECT name FROM migrations ORDER BY id');
      const all = dialect === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;
      expect(recorded.map((m: { name: string }) => m.name)).toEqual(all.map((m) => m.name));

      const status = async (method: string, path: string, body?: unknown) =>
        (await api.request(method, path, body)).status;

      // Every value the older release returned, by id and in the lists.
      for (const task of TASKS) {
        expect((await api.request('GET', `/api/tasks/${task.id}`)).body).toEqual(task);
      }
      for (const id of [6, 7]) expect(await status('GET', `/api/tasks/${id}`)).toBe(404);
      expect((await api.request('GET', '/api/tasks?sort=-createdAt&limit=100')).body).toEqual({
        items: [...TASKS].reverse(),
        ...{ total: 5, limit: 100, offset: 0 },
      });
      expect((await api.request('GET', '/api/projects?limit=100')).body.items).toEqual(PROJECTS);
      expect((await api.request('GET', '/api/tags?limit=100')).body.items).toEqual(TAGS);
      expect(await status('GET', '/api/projects/4')).toBe(404);

      // Search, filters and sorts read the older release's stored keys.
      const list = async (query: string) =>
        ids((await api.request('GET', `/api/tasks?${query}`)).body);
      expect(await list('q=STRASSE')).toEqual([3]);
      expect(await list(`q=${encodeURIComponent('straße')}`)).toEqual([1]);
      expect(await list(`q=${encodeURIComponent('صلى')}`)).toEqual([2]);
      expect(await list('q=fix')).toEqual([5]);
      expect(await list('tag=URGENT')).toEqual([1]);
      expect(await list(`tag=${encodeURIComponent('صلى الله عليه وسلم')}`)).toEqual([5]);
      expect(await list('sort=title')).toEqual([3, 5, 4, 1, 2]);
      expect(await list('sort=dueAt')).toEqual([4, 3, 1, 2, 5]);
      expect(await list('dueAfter=2026-01-01T00:00:00%2B01:00')).toEqual([1, 3]);

      // Names stay unique against the stored keys; ß and SS are different names.
      expect(await status('POST', '/api/tags', { name: 'URGENT' })).toBe(409);
      expect(await status('POST', '/api/tags', { name: 'صلى الله عليه وسلم' })).toBe(409);
      expect(await status('POST', '/api/tags', { name: 'strasse' })).toBe(409);
      expect(await status('POST', '/api/projects', { name: 'GARDEN' })).toBe(409);
      expect(await status('PATCH', '/api/projects/3', { name: 'ﷺ' })).toBe(409);

      // Writes: ids past the deleted ones; tags by other case; a save keeps repaired metadata.
      const created = await api.request('POST', '/api/tasks', {
        ...{ projectId: 1, title: 'After the upgrade', tags: ['ﷺ', 'straße', 'URGENT'] },
        metadata: { v: 1 },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: 8, tags: ['Straße', 'urgent', 'ﷺ'] });
      // (PostgreSQL spends a sequence value on each refused insert: above, not equal.)
      const project = await api.request('POST', '/api/projects', { name: 'New' });
      expect(project.body.id).toBeGreaterThan(4);
      expect((await api.request('POST', '/api/tags', { name: 'new' })).body.id).toBeGreaterThan(5);
      for (const id of [2, 3, 4]) {
        expect(await status('PATCH', `/api/tasks/${id}`, { status: 'done' })).toBe(200);
        expect((await api.request('GET', `/api/tasks/${id}`)).body.metadata).toEqual(
          TASKS[id - 1].metadata,
        );
      }
      await api.request('PATCH', '/api/tasks/3', { metadata: { patched: true } });
      await api.request('PUT', '/api/tasks/3/tags', { tags: ['urgent'] });
      expect((await api.request('GET', '/api/tasks/3')).body).toMatchObject({
        metadata: { patched: true },
        tags: ['urgent'],
      });
      expect(await status('DELETE', '/api/tags/4')).toBe(204);
      expect((await api.request('GET', '/api/tasks/5')).body.tags).toEqual(['ﷺ']);
      expect(await status('DELETE', '/api/projects/3')).toBe(204);
      expect(await list('limit=100')).toEqual([1, 2, 5, 8]);
    } finally {
      await api.close();
    }

    if (dialect === 'sqlite') {
      // The upgraded file moves to PostgreSQL, and verification passes.
      const target = await freshDatabaseEnv('postgres');
      const report = await copyDatabase({
        ...{ from: env.SQLITE_PATH, to: target.DATABASE_URL },
        typeormLog: () => {},
      });
      expect(report.ok).toBe(true);
      expect(report.warnings).toEqual([]);
    }
  });
});
