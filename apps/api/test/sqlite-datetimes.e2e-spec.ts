import Database from 'better-sqlite3';
import { spawnApi, SpawnedApi } from '../../../tools/testing/spawn-api';
import { freshDatabaseEnv } from '../../../tools/testing/test-api';

/** SQLite time values another tool may have written, and the instant each one is. */
const FORMS: [stored: string, instant: string][] = [
  ['2026-01-02 03:04:05.678', '2026-01-02T03:04:05.678Z'],
  ['2026-01-02 03:04:05.5', '2026-01-02T03:04:05.500Z'],
  ['2026-01-02T03:04:05.12', '2026-01-02T03:04:05.120Z'],
  ['2026-01-02T03:04:05.123456', '2026-01-02T03:04:05.123Z'],
  ['2026-01-02 03:04:05', '2026-01-02T03:04:05.000Z'],
  ['2026-01-02T03:04', '2026-01-02T03:04:00.000Z'],
  ['2026-01-02', '2026-01-02T00:00:00.000Z'],
  ['03:04:05.5', '2000-01-01T03:04:05.500Z'],
  ['2026-01-02T03:04:05.5Z', '2026-01-02T03:04:05.500Z'],
  ['2026-01-02 03:04:05.5+02:00', '2026-01-02T01:04:05.500Z'],
  ['2026-01-02 03:04 -05:00', '2026-01-02T08:04:00.000Z'],
];

async function send(api: SpawnedApi, method: string, path: string, body?: unknown) {
  const res = await fetch(api.baseUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('SQLite datetimes written by other tools, read under TZ=America/New_York', () => {
  let api: SpawnedApi;
  let file: string;

  beforeAll(async () => {
    const env = await freshDatabaseEnv('sqlite');
    file = env.SQLITE_PATH;
    api = await spawnApi({ ...env, TZ: 'America/New_York' });
    await api.waitFor('/health');
  });
  afterAll(() => api.stop('SIGTERM'));

  it('reads every zone-less form as UTC (as db:copy does) and keeps an explicit zone', async () => {
    const project = await send(api, 'POST', '/api/projects', { name: 'Imported' });
    const ids: number[] = [];
    for (const [stored] of FORMS) {
      const task = await send(api, 'POST', '/api/tasks', {
        projectId: project.body.id,
        title: stored,
      });
      expect(task.status).toBe(201);
      ids.push(task.body.id);
    }
    const db = new Database(file, { timeout: 5000 });
    try {
      const update = db.prepare(
        'UPDATE tasks SET dueAt = ?, createdAt = ?, updatedAt = ? WHERE id = ?',
      );
      FORMS.forEach(([stored], i) => update.run(stored, stored, stored, ids[i]));
      db.prepare('UPDATE projects SET createdAt = ?, updatedAt = ? WHERE id = ?').run(
        FORMS[1][0],
        FORMS[3][0],
        project.body.id,
      );
    } finally {
      db.close();
    }

    for (const [i, [stored, instant]] of FORMS.entries()) {
      const read = await send(api, 'GET', `/api/tasks/${ids[i]}`);
      expect(read.body).toMatchObject({ title: stored, dueAt: instant, createdAt: instant });
      expect(read.body.updatedAt).toBe(instant);
    }
    const listed = await send(api, 'GET', `/api/projects/${project.body.id}/tasks?limit=100`);
    expect(listed.status).toBe(200);
    for (const [i, [stored, instant]] of FORMS.entries()) {
      expect(listed.body.items.find((task: { id: number }) => task.id === ids[i])).toMatchObject({
        title: stored,
        dueAt: instant,
        createdAt: instant,
        updatedAt: instant,
      });
    }
    const times = { createdAt: FORMS[1][1], updatedAt: FORMS[3][1] };
    const read = await send(api, 'GET', `/api/projects/${project.body.id}`);
    expect(read).toMatchObject({ status: 200, body: times });
    const projects = await send(api, 'GET', '/api/projects?q=imported');
    expect(projects.body.items).toEqual([read.body]);
  });
});
