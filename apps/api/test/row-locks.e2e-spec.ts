import { Client } from 'pg';
import { DataSource, Repository } from 'typeorm';
import { Project } from '../../../libs/tasks/src/projects/project.entity';
import { RowLock } from '../../../libs/tasks/src/shared/row-lock';
import { freshDatabaseEnv, startApi, TestApi } from '../../../tools/testing/test-api';
import { waitFor } from '../../../tools/testing/wait-for';

// Row locks on PostgreSQL, the parts the concurrent-writers suite cannot force: deadlocks with
// another transaction, and RowLock's behaviour between replicas and under child inserts.

/**
 * Deadlocks between the API and another transaction, made on purpose: the test's transaction
 * locks a row the API's write is about to need, waits until the API waits for it, then asks
 * for a row the API holds. With a longer deadlock_timeout than the server's default (1 s), the
 * API's backend checks first and is the one PostgreSQL cancels.
 */
describe('a deadlock with another transaction on postgres', () => {
  let api: TestApi;
  let other: Client;
  let projectId: number;
  let tagId: number;

  beforeAll(async () => {
    const env = await freshDatabaseEnv('postgres');
    api = await startApi(env);
    other = new Client({ connectionString: env.DATABASE_URL });
    await other.connect();
    await other.query(`SET deadlock_timeout = '10s'`);
    projectId = (await api.request('POST', '/api/projects', { name: 'Deadlock' })).body.id;
    tagId = (await api.request('POST', '/api/tags', { name: 'contended' })).body.id;
  });
  afterAll(async () => {
    await other?.end();
    await api?.close();
  });

  /** Deadlocks PostgreSQL has broken in this database so far. */
  const deadlocks = async () =>
    Number(
      (
        await other.query(
          'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()',
        )
      ).rows[0].deadlocks,
    );

  /**
   * Runs `write` while the test's transaction holds the tag's lock; once the API waits for it,
   * the test asks for `then` (a row the API holds) and, when granted, rolls back.
   */
  async function deadlockWith<T>(write: () => Promise<T>, then: string, id: number) {
    const before = await deadlocks();
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM "tags" WHERE "id" = $1 FOR UPDATE', [tagId]);
    const pending = write();
    await waitForLockWait(other);
    await other.query(`SELECT 1 FROM "${then}" WHERE "id" = $1 FOR UPDATE`, [id]);
    await other.query('ROLLBACK');
    const result = await pending;
    // Stats reach pg_stat_database when a backend reports them: poll briefly.
    await waitFor(async () => (await deadlocks()) > before, 'a deadlock was counted');
    return result;
  }

  it('a PATCH it cancels is run again, and the change is made', async () => {
    const taskId = (await api.request('POST', '/api/tasks', { projectId, title: 'Locked' })).body
      .id;
    const patched = await deadlockWith(
      () => api.request('PATCH', `/api/tasks/${taskId}`, { tags: ['contended'] }),
      'tasks',
      taskId,
    );
    expect([patched.status, patched.body.tags]).toEqual([200, ['contended']]);
  });

  it('any other write it cancels answers 409 (send it again) and changes nothing', async () => {
    const before = (await api.request('GET', '/api/tasks?limit=1')).body.total;
    const body = { projectId, title: 'Tagged', tags: ['contended'] };
    const refused = await deadlockWith(
      () => api.request('POST', '/api/tasks', body),
      'projects',
      projectId,
    );
    expect([refused.status, refused.body.detail]).toEqual([
      409,
      'The change collided with a concurrent change and was not made; send it again',
    ]);
    expect((await api.request('GET', '/api/tasks?limit=1')).body.total).toBe(before);
    const again = await api.request('POST', '/api/tasks', body);
    expect([again.status, again.body.tags]).toEqual([201, ['contended']]);
  });

  it('a DELETE it cancels answers the documented 409 and deletes nothing', async () => {
    const doomed = (await api.request('POST', '/api/projects', { name: 'Doomed' })).body.id;
    const taskId = (await api.request('POST', '/api/tasks', { projectId: doomed, title: 'Held' }))
      .body.id;
    // The DELETE takes the project's row, then waits for its task (the cascade); the test's
    // transaction holds the task and then asks for the project.
    const before = await deadlocks();
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM "tasks" WHERE "id" = $1 FOR UPDATE', [taskId]);
    // request() checks the answer against the OpenAPI document: a 409 must be documented.
    const pending = api.request('DELETE', `/api/projects/${doomed}`);
    await waitForLockWait(other);
    await other.query('SELECT 1 FROM "projects" WHERE "id" = $1 FOR UPDATE', [doomed]);
    await other.query('ROLLBACK');
    const refused = await pending;
    await waitFor(async () => (await deadlocks()) > before, 'a deadlock was counted');
    expect([refused.status, refused.body.detail]).toEqual([
      409,
      'The change collided with a concurrent change and was not made; send it again',
    ]);
    expect((await api.request('GET', `/api/tasks/${taskId}`)).status).toBe(200);
  });
});

/**
 * A write that waits for a row another transaction holds (an administrator's session, a stuck
 * replica) longer than `DB_STATEMENT_TIMEOUT_MS` is cancelled by PostgreSQL (57014), as any slow
 * statement is: a 503 (try again shortly), never a 500, and nothing is changed.
 */
describe('a write waiting for a row lock past the statement timeout on postgres', () => {
  let api: TestApi;
  let other: Client;

  beforeAll(async () => {
    const env = await freshDatabaseEnv('postgres');
    api = await startApi({ ...env, DB_STATEMENT_TIMEOUT_MS: '500' });
    other = new Client({ connectionString: env.DATABASE_URL });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await api?.close();
  });

  it('answers 503 for a PATCH, a PUT of tags and a DELETE, and changes nothing', async () => {
    const projectId = (await api.request('POST', '/api/projects', { name: 'Held' })).body.id;
    const task = (await api.request('POST', '/api/tasks', { projectId, title: 'Held' })).body;
    await api.request('POST', '/api/tags', { name: 'held' });
    await other.query('BEGIN');
    try {
      await other.query('SELECT 1 FROM "tasks" WHERE "id" = $1 FOR UPDATE', [task.id]);
      const path = `/api/tasks/${task.id}`;
      const answers = [
        await api.request('PATCH', path, { title: 'Changed' }),
        await api.request('PUT', `${path}/tags`, { tags: ['held'] }),
        await api.request('DELETE', path),
      ];
      expect(answers.map(({ status, body }) => [status, body.detail])).toEqual(
        Array(3).fill([503, 'The database is unavailable; try again shortly']),
      );
    } finally {
      await other.query('ROLLBACK');
    }
    expect((await api.request('GET', `/api/tasks/${task.id}`)).body).toEqual(task);
  });
});

/**
 * `RowLock` on PostgreSQL, driven directly: two instances stand for two API replicas (each has
 * its own in-process queue), so only the database's row lock keeps them apart.
 */
describe('RowLock on postgres', () => {
  let api: TestApi;
  let projects: Repository<Project>;

  beforeAll(async () => {
    api = await startApi(await freshDatabaseEnv('postgres'));
    projects = api.app.get(DataSource).getRepository(Project);
  });
  afterAll(() => api?.close());

  it('holds a second replica’s section on the same row until the first has committed', async () => {
    const id = (await api.request('POST', '/api/projects', { name: 'Held' })).body.id;
    const events: string[] = [];
    let entered!: () => void;
    const firstEntered = new Promise<void>((resolve) => (entered = resolve));
    const first = new RowLock(projects).run(id, async (manager) => {
      entered();
      events.push('first in');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await manager.update(Project, id, { description: 'first' });
      events.push('first out');
    });
    await firstEntered;
    const second = new RowLock(projects).run(id, async (manager) => {
      events.push('second in');
      const row = await manager.findOneByOrFail(Project, { id });
      events.push(`second read ${row.description}`);
    });
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'first out', 'second in', 'second read first']);
  });

  it('does not hold up a task created in the project while the project is locked', async () => {
    const projectId = (await api.request('POST', '/api/projects', { name: 'Parent' })).body.id;
    const created = await new RowLock(projects).run(projectId, () =>
      withinSeconds(3, api.request('POST', '/api/tasks', { projectId, title: 'Child' })),
    );
    expect(created.status).toBe(201);
  });
});

/** `promise`, or a rejection once `seconds` have passed. */
function withinSeconds<T>(seconds: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once another session of this database waits for a lock. */
function waitForLockWait(client: Client): Promise<void> {
  const waiting = async () =>
    (
      await client.query(
        `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'
         AND datname = current_database() AND pid <> pg_backend_pid()`,
      )
    ).rows.length > 0;
  return waitFor(waiting, 'another session waited for a lock');
}
