import { join } from 'node:path';
import { spawnApi, SpawnedApi } from '../../tools/testing/spawn-api';
import { DIALECTS, freshDatabaseEnv, startApi, TestApi } from '../../tools/testing/test-api';
import { walFrames } from '../../tools/testing/wal-frames';

const ROOT = join(__dirname, '../..');

/** Headers both servers set that differ per response or per server by nature. */
const VARYING = new Set(['date', 'x-request-id', 'content-length', 'keep-alive', 'connection']);

/** How the baseline runs: bare, with our request hook, or as the Nest floor. */
const MODES = {
  raw: {},
  hooked: { RAW_API_HOOK: 'libs/http/src/request-hook.ts' },
  nest: { RAW_API_NEST: 'libs/http/src' },
};

/** The raw baseline of the HTTP benchmarks, on the database `env` points at. */
async function startBaseline(
  env: Record<string, string>,
  mode: keyof typeof MODES,
): Promise<SpawnedApi> {
  const baseline = await spawnApi(
    { ...env, ...MODES[mode] },
    { args: ['-r', '@swc-node/register', 'bench/baselines/raw-api.js'], cwd: ROOT },
  );
  await baseline.waitFor('/health');
  return baseline;
}

async function get(baseUrl: string, path: string) {
  const response = await fetch(baseUrl + path);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function postTask(baseUrl: string, title: string) {
  const response = await fetch(`${baseUrl}/api/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ projectId: 1, title }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * The benchmarks compare the API with raw Fastify + the bare driver "doing the same queries and
 * returning the same JSON": this holds them to it, so a ratio never compares different work.
 */
describe.each(DIALECTS)('the HTTP benchmark baseline (%s)', (dialect) => {
  let api: TestApi;
  let raw: SpawnedApi;
  let hooked: SpawnedApi;
  let nest: SpawnedApi;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = await freshDatabaseEnv(dialect);
    api = await startApi(env);
    const project = await api.request('POST', '/api/projects', { name: 'Bench' });
    for (const name of ['urgent', 'alpha']) await api.request('POST', '/api/tags', { name });
    const full = await api.request('POST', '/api/tasks', {
      projectId: project.body.id,
      title: 'Full',
      notes: 'Some notes',
      status: 'in_progress',
      priority: 2,
      dueAt: '2026-12-01T10:30:00.000Z',
      estimateHours: 1.5,
      metadata: { source: 'bench', nested: { n: 1 } },
      tags: ['urgent', 'alpha'],
    });
    const plain = await api.request('POST', '/api/tasks', {
      projectId: project.body.id,
      title: 'Plain',
    });
    expect([full.status, plain.status, full.body.tags]).toEqual([201, 201, ['alpha', 'urgent']]);
    [raw, hooked, nest] = await Promise.all(
      (['raw', 'hooked', 'nest'] as const).map((mode) => startBaseline(env, mode)),
    );
  });

  afterAll(async () => {
    await Promise.all([raw?.stop(), hooked?.stop(), nest?.stop(), api?.close()]);
  });

  it.each(['/health/live', '/api/tasks/1', '/api/tasks/2', '/api/tasks?limit=20'])(
    'answers GET %s with the API’s status and JSON',
    async (path) => {
      const ours = await get(api.baseUrl, path);
      const theirs = await get(raw.baseUrl, path);
      expect(theirs.status).toBe(ours.status);
      expect(theirs.body).toEqual(ours.body);
    },
  );

  it('with our request hook, sets the API’s headers on a JSON response', async () => {
    const ours = await get(api.baseUrl, '/api/tasks/1');
    const theirs = await get(hooked.baseUrl, '/api/tasks/1');
    const fixed = (headers: Headers) =>
      [...headers.keys()].filter((name) => !VARYING.has(name) && name !== 'cache-control');
    expect(fixed(theirs.headers).sort()).toEqual(fixed(ours.headers).sort());
    expect(theirs.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await get(raw.baseUrl, '/api/tasks/1')).headers.has('x-request-id')).toBe(false);
  });

  it.each(['/api/tasks/1', '/api/tasks/2', '/api/tasks/999', '/api/tasks/0'])(
    'as the Nest floor, answers GET %s with the API’s status, JSON and headers',
    async (path) => {
      const ours = await get(api.baseUrl, path);
      const floor = await get(nest.baseUrl, path);
      const fixed = (headers: Headers) => [...headers.keys()].filter((name) => !VARYING.has(name));
      expect(floor.status).toBe(ours.status);
      expect(floor.body).toEqual(ours.body);
      expect(fixed(floor.headers).sort()).toEqual(fixed(ours.headers).sort());
    },
  );

  it('answers POST /api/tasks with the API’s status and JSON, apart from the id and times', async () => {
    const [ours, theirs] = [
      await postTask(api.baseUrl, 'Posted'),
      await postTask(raw.baseUrl, 'Posted'),
    ];
    const shape = ({ id: _id, createdAt: _c, updatedAt: _u, ...rest }: Record<string, unknown>) =>
      rest;
    expect(theirs.status).toBe(ours.status);
    expect(shape(theirs.body)).toEqual(shape(ours.body));
    expect(theirs.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  if (dialect === 'sqlite') {
    // SQLite checkpoints the WAL (and starts it again from the top) when a write statement
    // finishes past 1,000 pages. A write left unfinished (better-sqlite3's `.get()` on
    // INSERT … RETURNING, which commits only when the statement is reset) never triggers it: the
    // WAL then grows by every write, and the baseline skips the checkpoints the API pays for.
    it('lets SQLite checkpoint the WAL as its writes pass 1,000 pages', async () => {
      for (let i = 0; i < 400; i++) {
        expect((await postTask(raw.baseUrl, `Checkpointed ${i}`)).status).toBe(201);
      }
      expect(walFrames(env.SQLITE_PATH)).toBeLessThan(1100);
    });
  }
});
