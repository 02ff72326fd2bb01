import { DataSource } from 'typeorm';
import { Dialect, freshDatabaseEnv, startApi, TestApi } from '../../../tools/testing/test-api';

// The default task list order (GET /api/tasks: createdAt, then id, either direction) is read
// from an index in order: no sort of the whole table on every page request.
const PAGE = (direction: 'ASC' | 'DESC') =>
  `SELECT t."id", t."title" FROM "tasks" t ORDER BY t."createdAt" ${direction}, t."id" ${direction} LIMIT 20`;

describe.each(['sqlite', 'postgres'] as Dialect[])('task list order on %s', (dialect) => {
  let api: TestApi;
  let dataSource: DataSource;

  beforeAll(async () => {
    api = await startApi(await freshDatabaseEnv(dialect));
    dataSource = api.app.get(DataSource);
    const project = await api.request('POST', '/api/projects', { name: 'Ordered' });
    for (let i = 0; i < 30; i++) {
      await api.request('POST', '/api/tasks', { projectId: project.body.id, title: `t${i}` });
    }
  });
  afterAll(() => api.close());

  it.each(['ASC', 'DESC'] as const)('%s pages come from IDX_tasks_createdAt_id', async (dir) => {
    if (dialect === 'sqlite') {
      const plan: { detail: string }[] = await dataSource.query(`EXPLAIN QUERY PLAN ${PAGE(dir)}`);
      const details = plan.map((step) => step.detail).join('\n');
      expect(details).toContain('IDX_tasks_createdAt_id');
      expect(details).not.toContain('TEMP B-TREE');
    } else {
      // A table this small would be scanned and sorted; forbid both to see whether the index
      // can serve the order at all.
      const plan = await dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL enable_sort = off');
        await manager.query('SET LOCAL enable_seqscan = off');
        const rows: { 'QUERY PLAN': string }[] = await manager.query(`EXPLAIN ${PAGE(dir)}`);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('IDX_tasks_createdAt_id');
      expect(plan).not.toMatch(/\bSort\b/);
    }
  });
});
