import { spawnApi, SpawnedApi } from '../../../tools/testing/spawn-api';
import { OpenApiContract } from '../../../tools/testing/openapi-contract';
import { DIALECTS, Dialect, freshDatabaseEnv, ISO_UTC } from '../../../tools/testing/test-api';

async function send(api: SpawnedApi, method: string, path: string, body?: unknown) {
  const res = await fetch(api.baseUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe.each(DIALECTS)('the API process on %s', (dialect: Dialect) => {
  let api: SpawnedApi;

  beforeAll(async () => {
    api = await spawnApi({ ...(await freshDatabaseEnv(dialect)), TZ: 'America/New_York' });
    await api.waitFor('/health');
  });
  afterAll(() => api.stop('SIGTERM'));

  it('keeps times in UTC under TZ=America/New_York', async () => {
    const project = await send(api, 'POST', '/api/projects', { name: 'Time zones' });
    expect(Math.abs(Date.parse(project.body.createdAt) - Date.now())).toBeLessThan(2000);
    const created = await send(api, 'POST', '/api/tasks', {
      projectId: project.body.id,
      title: 'Winter deadline',
      dueAt: '2030-01-15T23:30:00-05:00',
    });
    expect(created.status).toBe(201);
    expect(created.body.createdAt).toMatch(ISO_UTC);
    expect(Math.abs(Date.parse(created.body.createdAt) - Date.now())).toBeLessThan(2000);
    expect(created.body.dueAt).toBe('2030-01-16T04:30:00.000Z');
    const read = await send(api, 'GET', `/api/tasks/${created.body.id}`);
    expect(read.body).toEqual(created.body);
    const due = await send(api, 'GET', '/api/tasks?dueAfter=2030-01-16T04:30:00Z');
    expect(due.body.items.map((t: { id: number }) => t.id)).toEqual([created.body.id]);
    const before = await send(api, 'GET', '/api/tasks?dueBefore=2030-01-16T04:30:00Z');
    expect(before.body.total).toBe(0);
  });

  // New York's offset was -04:56:02 until 1883-11-18 17:00 UTC: a Date sent to PostgreSQL as
  // local time with getTimezoneOffset() (whole minutes) was stored 2 s early.
  it('keeps a dueAt of a time when the local offset had seconds (New York before 1883)', async () => {
    const project = await send(api, 'POST', '/api/projects', { name: 'Old deadlines' });
    for (const dueAt of ['1500-06-01T12:00:00.000Z', '1883-11-18T16:59:59.999Z']) {
      const created = await send(api, 'POST', '/api/tasks', {
        projectId: project.body.id,
        title: `Due ${dueAt}`,
        dueAt,
      });
      expect(created.body.dueAt).toBe(dueAt);
      expect((await send(api, 'GET', `/api/tasks/${created.body.id}`)).body.dueAt).toBe(dueAt);
      const exact = `dueAfter=${dueAt}&dueBefore=${new Date(Date.parse(dueAt) + 1).toISOString()}`;
      const found = await send(api, 'GET', `/api/tasks?projectId=${project.body.id}&${exact}`);
      expect(found.body.items.map((t: { id: number }) => t.id)).toEqual([created.body.id]);
    }
  });

  it("documents a problem's fields with examples of what it sends", async () => {
    const document: any = await (await fetch(`${api.baseUrl}/docs-json`)).json();
    const fields = document.components.schemas.ProblemDetails.properties;
    const invalid = await send(api, 'POST', '/api/projects', { name: '' });
    expect(invalid.status).toBe(400);
    const { errors, ...problem } = invalid.body;
    expect(errors.length).toBeGreaterThan(0);
    expect({
      type: fields.type.example,
      title: fields.title.example,
      status: fields.status.example,
      detail: fields.detail.example,
    }).toEqual(problem);
  });

  it('can be used by a client that knows only /docs-json', async () => {
    const document: any = await (await fetch(`${api.baseUrl}/docs-json`)).json();
    const contract = new OpenApiContract(document);
    const schemas = document.components.schemas;
    const resolve = (schema: any) => (schema.$ref ? schemas[schema.$ref.split('/').pop()] : schema);
    const creator = (tag: string) => {
      for (const [path, methods] of Object.entries<any>(document.paths)) {
        const op = methods.post;
        if (op?.tags?.includes(tag) && !path.includes('{')) return { path, op };
      }
      throw new Error(`no create operation tagged ${tag}`);
    };
    // Fill only the required fields, from their documented types and limits.
    const bodyFor = (op: any, ids: Record<string, number>) => {
      const schema = resolve(op.requestBody.content['application/json'].schema);
      return Object.fromEntries(
        (schema.required as string[]).map((name) => {
          const property = schema.properties[name];
          if (property.type === 'integer') return [name, ids[name]];
          return [name, `${name} ${'x'.repeat(property.minLength ?? 1)}`];
        }),
      );
    };
    const ids: Record<string, number> = {};
    for (const [tag, idName] of [
      ['projects', 'projectId'],
      ['tasks', 'taskId'],
    ]) {
      const { path, op } = creator(tag);
      const res = await send(api, 'POST', path, bodyFor(op, ids));
      expect(res.status).toBe(201);
      expect(op.responses['201']).toBeDefined();
      expect(contract.check('POST', path, 201, 'application/json', res.body)).toEqual([]);
      const location = res.headers.get('location') as string;
      const read = await send(api, 'GET', location);
      expect(read.body).toEqual(res.body);
      ids[idName] = res.body.id;
    }
    const task = await send(api, 'GET', `/api/tasks/${ids.taskId}`);
    expect(task.body).toMatchObject({ projectId: ids.projectId, title: 'title x' });
  });

  it('documents the length bounds it enforces on each tag name', async () => {
    const document: any = await (await fetch(`${api.baseUrl}/docs-json`)).json();
    const bounds = ['CreateTaskDto', 'UpdateTaskDto', 'ReplaceTagsDto'].map(
      (name) => document.components.schemas[name].properties.tags.items,
    );
    expect(bounds).toEqual(Array(3).fill({ type: 'string', minLength: 1, maxLength: 40 }));
    const project = await send(api, 'POST', '/api/projects', { name: 'Tag bounds' });
    const task = await send(api, 'POST', '/api/tasks', {
      projectId: project.body.id,
      title: 'Tag bounds',
    });
    const messages = async (tag: string) =>
      (await send(api, 'PUT', `/api/tasks/${task.body.id}/tags`, { tags: [tag] })).body.errors;
    expect(await messages('')).toEqual([
      { field: 'tags', message: 'each value in tags must be longer than or equal to 1 characters' },
    ]);
    expect(await messages('x'.repeat(41))).toEqual([
      {
        field: 'tags',
        message: 'each value in tags must be shorter than or equal to 40 characters',
      },
    ]);
    expect(await messages('x'.repeat(40))).toEqual([
      { field: 'tags', message: `unknown tags: "${'x'.repeat(40)}"` },
    ]);
  });
});
