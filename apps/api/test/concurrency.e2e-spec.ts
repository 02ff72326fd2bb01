import {
  ApiResponse,
  DIALECTS,
  Dialect,
  freshDatabaseEnv,
  startApi,
  TestApi,
} from '../../../tools/testing/test-api';

const CLIENTS = 50;

/**
 * One kind of concurrent write traffic: `run` is what client `i` does, `verify` checks the
 * end state is exact. Tasks and tags workloads slot in beside the projects one.
 */
interface Workload {
  name: string;
  setup(api: TestApi): Promise<void>;
  run(api: TestApi, client: number, call: Call): Promise<void>;
  verify(api: TestApi): Promise<void>;
}
type Call = (method: string, path: string, body?: unknown) => Promise<ApiResponse>;

function projectsWorkload(): Workload {
  let shared: number;
  const own = new Map<number, number>();
  return {
    name: 'projects: create, rename, and update one shared row field by field',
    async setup(api) {
      shared = (await api.request('POST', '/api/projects', { name: 'Shared' })).body.id;
    },
    async run(_api, i, call) {
      // One client renames the shared row while the others set its description: a stale
      // read-modify-write by any of them would put the old name back (a lost update).
      await call(
        'PATCH',
        `/api/projects/${shared}`,
        i === CLIENTS / 2 ? { name: 'Shared, renamed once' } : { description: `noted by ${i}` },
      );
      const created = await call('POST', '/api/projects', { name: `client ${i} first` });
      own.set(i, created.body.id);
      await call('POST', '/api/projects', { name: `client ${i} second` });
      await call('PATCH', `/api/projects/${created.body.id}`, { name: `client ${i} renamed` });
    },
    async verify(api) {
      const list = await api.request('GET', '/api/projects?limit=1');
      expect(list.body.total).toBe(1 + 2 * CLIENTS);
      for (const [i, id] of own) {
        expect((await api.request('GET', `/api/projects/${id}`)).body.name).toBe(
          `client ${i} renamed`,
        );
      }
      const final = (await api.request('GET', `/api/projects/${shared}`)).body;
      expect(final.name).toBe('Shared, renamed once');
      expect(final.description).toMatch(/^noted by \d+$/);
    },
  };
}

function tasksAndTagsWorkload(): Workload {
  let projectId: number;
  let shared: number;
  const own = new Map<number, number>();
  return {
    name: 'tasks and tags: create, tag, retag, and update one shared task field by field',
    async setup(api) {
      projectId = (await api.request('POST', '/api/projects', { name: 'Tasks home' })).body.id;
      for (let i = 0; i < CLIENTS; i++) {
        await api.request('POST', '/api/tags', { name: `tag ${i}` });
      }
      shared = (await api.request('POST', '/api/tasks', { projectId, title: 'Shared task' })).body
        .id;
    },
    async run(_api, i, call) {
      await call(
        'PATCH',
        `/api/tasks/${shared}`,
        i === CLIENTS / 2 ? { title: 'Shared task, renamed once' } : { notes: `noted by ${i}` },
      );
      const created = await call('POST', '/api/tasks', {
        projectId,
        title: `task of client ${i}`,
        tags: [`tag ${i}`],
      });
      own.set(i, created.body.id);
      await call('PUT', `/api/tasks/${created.body.id}/tags`, {
        tags: [`tag ${i}`, `tag ${(i + 1) % CLIENTS}`],
      });
      await call('POST', '/api/tags', { name: `made by ${i}` });
    },
    async verify(api) {
      const tasks = await api.request('GET', `/api/tasks?projectId=${projectId}&limit=1`);
      expect(tasks.body.total).toBe(1 + CLIENTS);
      const tags = await api.request('GET', '/api/tags?limit=1');
      expect(tags.body.total).toBe(2 * CLIENTS);
      for (const [i, id] of own) {
        const task = (await api.request('GET', `/api/tasks/${id}`)).body;
        expect([...task.tags].sort()).toEqual([`tag ${i}`, `tag ${(i + 1) % CLIENTS}`].sort());
      }
      const final = (await api.request('GET', `/api/tasks/${shared}`)).body;
      expect(final.title).toBe('Shared task, renamed once');
      expect(final.notes).toMatch(/^noted by \d+$/);
    },
  };
}

const WORKLOADS: Array<() => Workload> = [projectsWorkload, tasksAndTagsWorkload];

describe.each(DIALECTS)(`${CLIENTS} concurrent writers on %s`, (dialect: Dialect) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi(await freshDatabaseEnv(dialect));
  });
  afterAll(() => api.close());

  it.each(WORKLOADS.map((make) => [make().name, make] as const))('%s', async (_name, make) => {
    const workload = make();
    await workload.setup(api);
    const failures: string[] = [];
    const call: Call = async (method, path, body) => {
      const response = await api.request(method, path, body);
      if (response.status >= 300) {
        failures.push(`${method} ${path} -> ${response.status} ${JSON.stringify(response.body)}`);
      }
      return response;
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => workload.run(api, i, call)));
    // No SQLITE_BUSY (or anything else) reached a client, and the end state is exact.
    expect(failures).toEqual([]);
    await workload.verify(api);
  });
});
