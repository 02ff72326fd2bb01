import { freshDatabaseEnv, startApi, TestApi } from '../../../tools/testing/test-api';
import { walFrames } from '../../../tools/testing/wal-frames';

/**
 * SQLite checkpoints the WAL (and then writes it again from the top) when a write statement
 * finishes past 1,000 pages. A write left unfinished (better-sqlite3's `.get()` on
 * INSERT … RETURNING commits only when the statement is reset) never triggers it, and the WAL
 * file then grows by every write until the disk is full. The API's raw-statement paths
 * (TaskReader) must not do that.
 */
describe('SQLite WAL under the API’s writes', () => {
  let api: TestApi;
  let path: string;

  beforeAll(async () => {
    const env = await freshDatabaseEnv('sqlite');
    path = env.SQLITE_PATH;
    api = await startApi(env);
  });
  afterAll(() => api.close());

  it('is checkpointed as creates, tagged creates and updates pass 1,000 pages', async () => {
    const project = await api.request('POST', '/api/projects', { name: 'WAL' });
    await api.request('POST', '/api/tags', { name: 'wal' });
    for (let i = 0; i < 300; i++) {
      const created = await api.request('POST', '/api/tasks', {
        projectId: project.body.id,
        title: `Task ${i}`,
        ...(i % 2 === 0 && { tags: ['wal'] }),
      });
      expect(created.status).toBe(201);
      const updated = await api.request('PATCH', `/api/tasks/${created.body.id}`, {
        status: 'done',
      });
      expect(updated.status).toBe(200);
    }
    expect(walFrames(path)).toBeLessThan(1100);
  });
});
