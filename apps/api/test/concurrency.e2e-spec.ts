import { Client } from 'pg';
import {
  ApiResponse,
  DIALECTS,
  Dialect,
  freshDatabaseEnv,
  startApi,
  TestApi,
} from '../../../tools/testing/test-api';
import { waitFor } from '../../../tools/testing/wait-for';

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

/** Rows each pair of clients races on, one after the other. */
const ROWS_PER_PAIR = 6;

/** Per kind of row: how it is created, and the two fields a pair of clients changes. */
const PAIR_KINDS = [
  {
    path: '/api/tasks',
    create: (n: string) => ({ projectId: 1, title: n }),
    fields: ['title', 'priority'],
    second: 1,
  },
  {
    path: '/api/projects',
    create: (n: string) => ({ name: n }),
    fields: ['name', 'description'],
    second: 'described',
  },
  {
    path: '/api/tags',
    create: (n: string) => ({ name: n }),
    fields: ['name', 'color'],
    second: '#00ff00',
  },
] as const;

/**
 * Pairs of clients (2k and 2k + 1, which go to different replicas when there are two) walk the
 * same rows in step, tasks, projects and tags in turn, one client renaming each row and the
 * other changing a second field: every row must end with both changes, whichever lands first.
 */
function fieldPairsWorkload(): Workload {
  const rows: { path: string; kind: (typeof PAIR_KINDS)[number] }[][] = [];
  return {
    name: 'pairs of clients updating two fields of the same tasks, projects and tags at once',
    async setup(api) {
      await api.request('POST', '/api/projects', { name: 'Pairs' });
      for (let k = 0; k < CLIENTS / 2; k++) {
        const own: (typeof rows)[number] = [];
        for (let r = 0; r < ROWS_PER_PAIR; r++) {
          const kind = PAIR_KINDS[(k + r) % PAIR_KINDS.length];
          const created = await api.request('POST', kind.path, kind.create(`pair ${k} row ${r}`));
          own.push({ path: `${kind.path}/${created.body.id}`, kind });
        }
        rows.push(own);
      }
    },
    async run(_api, i, call) {
      for (const { path, kind } of rows[i >> 1]) {
        const [renamed, second] = kind.fields;
        await call('PATCH', path, i % 2 ? { [second]: kind.second } : { [renamed]: `${path}!` });
      }
    },
    async verify(api) {
      for (const { path, kind } of rows.flat()) {
        const row = (await api.request('GET', path)).body;
        const [renamed, second] = kind.fields;
        expect([path, row[renamed], row[second]]).toEqual([path, `${path}!`, kind.second]);
      }
    },
  };
}

const WORKLOADS: Array<() => Workload> = [
  projectsWorkload,
  tasksAndTagsWorkload,
  fieldPairsWorkload,
];

/**
 * Each dialect with one API process, and PostgreSQL with two replicas of the API sharing the
 * database (clients alternate between them): an in-process lock alone would lose updates there.
 */
const SETUPS = [
  ...DIALECTS.map((dialect) => ({ dialect, replicas: 1 })),
  { dialect: 'postgres' as Dialect, replicas: 2 },
];

describe.each(SETUPS)(
  `${CLIENTS} concurrent writers on $dialect, $replicas API process(es)`,
  ({ dialect, replicas }) => {
    let apis: TestApi[];

    beforeAll(async () => {
      const env = await freshDatabaseEnv(dialect);
      apis = [];
      for (let i = 0; i < replicas; i++) apis.push(await startApi(env));
    });
    afterAll(() => Promise.all(apis.map((api) => api.close())));

    it.each(WORKLOADS.map((make) => [make().name, make] as const))('%s', async (_name, make) => {
      const workload = make();
      const [api] = apis;
      await workload.setup(api);
      const failures: string[] = [];
      const callVia =
        (via: TestApi): Call =>
        async (method, path, body) => {
          const response = await via.request(method, path, body);
          if (response.status >= 300) {
            failures.push(
              `${method} ${path} -> ${response.status} ${JSON.stringify(response.body)}`,
            );
          }
          return response;
        };
      await Promise.all(
        Array.from({ length: CLIENTS }, (_, i) => {
          const via = apis[i % apis.length];
          return workload.run(via, i, callVia(via));
        }),
      );
      // No SQLITE_BUSY (or anything else) reached a client, and the end state is exact.
      expect(failures).toEqual([]);
      await workload.verify(api);
    });
  },
);

/**
 * On PostgreSQL a read was several statements on several pooled connections (the task's row,
 * then its tags; a page, its total, then its tags), each seeing the database at its own moment,
 * so a response could mix two: a task deleted in between came back with no tags, one it never
 * had. The test's transaction deletes a tagged task while it holds `task_tags`, so that a
 * statement reading `task_tags` waits for the commit while a statement reading `tasks` alone
 * does not: a read made of one statement sees the task with its tags, or not at all.
 */
describe('reads of one moment on postgres, while a tagged task is deleted', () => {
  let api: TestApi;
  let other: Client;
  let projectId: number;

  beforeAll(async () => {
    const env = await freshDatabaseEnv('postgres');
    api = await startApi(env);
    other = new Client({ connectionString: env.DATABASE_URL });
    await other.connect();
    projectId = (await api.request('POST', '/api/projects', { name: 'Moments' })).body.id;
    await api.request('POST', '/api/tags', { name: 'kept' });
  });
  afterAll(async () => {
    await other?.end();
    await api?.close();
  });

  /** Sends `read` while the test's transaction deletes `taskId`, then commits the delete. */
  async function readWhileDeleting(taskId: number, read: () => Promise<ApiResponse>) {
    await other.query('BEGIN');
    try {
      await other.query('LOCK TABLE "task_tags" IN ACCESS EXCLUSIVE MODE');
      await other.query('DELETE FROM "tasks" WHERE "id" = $1', [taskId]);
      const pending = read();
      await waitFor(() => lockWaiters(other), 'a read waited for task_tags');
      await other.query('COMMIT');
      return await pending;
    } catch (error) {
      await other.query('ROLLBACK');
      throw error;
    }
  }

  const tagged = async () =>
    (await api.request('POST', '/api/tasks', { projectId, title: 'Tagged', tags: ['kept'] })).body;

  it('GET /api/tasks/:id answers the task with its tags, or 404', async () => {
    const task = await tagged();
    const read = await readWhileDeleting(task.id, () =>
      api.request('GET', `/api/tasks/${task.id}`),
    );
    expect(read.status === 404 ? 'gone' : read.body.tags).toEqual(
      read.status === 404 ? 'gone' : ['kept'],
    );
  });

  it('GET /api/tasks lists the task with its tags, or not at all, and counts what it lists', async () => {
    const task = await tagged();
    const read = await readWhileDeleting(task.id, () => api.request('GET', '/api/tasks?limit=100'));
    const { items, total } = read.body as {
      items: { id: number; tags: string[] }[];
      total: number;
    };
    expect(items.filter((item) => item.tags.length !== 1)).toEqual([]);
    expect(items.length).toBe(total);
  });
});

/**
 * Whether another session of this database waits for a lock. Within a transaction PostgreSQL
 * keeps the first activity snapshot it read until the end: it is cleared before each look.
 */
async function lockWaiters(client: Client): Promise<boolean> {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query(
    `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'
     AND datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return rows.length > 0;
}
