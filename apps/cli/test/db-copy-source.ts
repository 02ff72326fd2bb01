import Database from 'better-sqlite3';
import { searchKey } from '../../../libs/tasks/src/shared/search-key';
import { freshDatabaseEnv, startApi } from '../../../tools/testing/test-api';
import { runCli } from './cli';

/** A failed copy's stderr without the note on the migrations it applied first. */
export const withoutMigrationNote = (stderr: string) =>
  stderr.replace(/\nThe target's migrations ran before the copy and stay .*\n/, '\n');

/** `db:copy --from <from> --to <to> [flags]`. */
export const copyCommand = (from: string, to: string, ...flags: string[]) =>
  runCli('db:copy', '--from', from, '--to', to, ...flags);

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

export const METADATA = {
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

/**
 * The source the db:copy tests start from: a SQLite database migrated and filled through the app,
 * then given the awkward rows real files hold. Returns its environment (SQLITE_PATH).
 */
export async function createSource(): Promise<Record<string, string>> {
  const env = await freshDatabaseEnv('sqlite');
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
  addAwkwardRows(env.SQLITE_PATH);
  return env;
}
