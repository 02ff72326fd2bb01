import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { hostileRequests, OpenApiDocument } from '../../../tools/testing/hostile-requests';
import {
  DIALECTS,
  Dialect,
  freshDatabaseEnv,
  startApi,
  TestApi,
} from '../../../tools/testing/test-api';

const RUNS = 600;
const SQL_LOOKING = [
  "'; DROP TABLE projects; --",
  'Robert"); DELETE FROM projects WHERE ("1"="1',
  "100% _done_ \\ ' OR 1=1 --",
  '$1 $$ :name ? %s ${x} \\x00',
];

/** Every row of every table, in a stable order: compared before and after the attack. */
async function snapshot(dataSource: DataSource): Promise<Record<string, string[]>> {
  const tables = [...new Set(dataSource.entityMetadatas.map((m) => m.tableName))].sort();
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const rows: unknown[] = await dataSource.query(`SELECT * FROM "${table}"`);
    result[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return result;
}

describe.each(DIALECTS)('hostile input on %s', (dialect: Dialect) => {
  let api: TestApi;
  let dataSource: DataSource;
  let seedId: number;

  beforeAll(async () => {
    api = await startApi(await freshDatabaseEnv(dialect));
    dataSource = api.app.get(DataSource);
    const seed = await api.request('POST', '/api/projects', {
      name: 'Seed',
      description: 'kept intact',
    });
    seedId = seed.body.id;
  });
  afterAll(() => api.close());

  it('stores and returns SQL-looking text literally', async () => {
    for (const text of SQL_LOOKING) {
      const created = await api.request('POST', '/api/projects', { name: text, description: text });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: text, description: text });
      const read = await api.request('GET', `/api/projects/${created.body.id}`);
      expect(read.body).toMatchObject({ name: text, description: text });
      const found = await api.request('GET', `/api/projects?q=${encodeURIComponent(text)}`);
      expect(found.body.items.map((p: { id: number }) => p.id)).toEqual([created.body.id]);
    }
  });

  it(`answers ${RUNS} generated hostile requests on every route without a 5xx or a change`, async () => {
    const doc = (await fetch(`${api.baseUrl}/docs-json`).then((r) => r.json())) as OpenApiDocument;
    const before = await snapshot(dataSource);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileRequests(doc, seedId), async (request) => {
        const response = await fetch(api.baseUrl + request.path, {
          method: request.method,
          headers: request.contentType ? { 'content-type': request.contentType } : {},
          body: request.body,
        });
        const text = await response.text();
        const { status } = response;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const label = `${request.method} ${request.path.slice(0, 80)} (${request.poison}) -> ${status} ${text.slice(0, 200)}`;
        expect({ label, serverError: status >= 500 }).toEqual({ label, serverError: false });
        if (status >= 400) {
          expect({ label, type: response.headers.get('content-type') }).toEqual({
            label,
            type: expect.stringContaining('application/problem+json'),
          });
          expect(JSON.parse(text)).toMatchObject({ status, title: expect.any(String) });
        }
        if (request.method !== 'GET') {
          expect({ label, rejected: status >= 400 }).toEqual({ label, rejected: true });
          expect({ label, data: await snapshot(dataSource) }).toEqual({ label, data: before });
        }
      }),
      { numRuns: RUNS, seed: 7, endOnFailure: true },
    );
    expect(await snapshot(dataSource)).toEqual(before);
    // The generator reached validation (400), routing of bad ids (400/404), size and type limits.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 404, 413, 415]));
  });
});
