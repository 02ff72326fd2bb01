import { DIALECTS, freshDatabaseEnv, startApi, TestApi } from '../../../tools/testing/test-api';

type FieldError = { field: string; message: string };

const byField = (a: FieldError, b: FieldError) =>
  a.field.localeCompare(b.field) || a.message.localeCompare(b.message);

describe.each(DIALECTS)('validation messages on %s', (dialect) => {
  let api: TestApi;
  let taskId: number;
  let projectId: number;

  beforeAll(async () => {
    api = await startApi(await freshDatabaseEnv(dialect));
    projectId = (await api.request('POST', '/api/projects', { name: 'Home' })).body.id;
    taskId = (await api.request('POST', '/api/tasks', { projectId, title: 'Water' })).body.id;
  });
  afterAll(() => api.close());

  /** The field errors of a request that must be a 400, in a stable order. */
  async function errorsOf(method: string, path: string, body?: unknown): Promise<FieldError[]> {
    const res = await api.request(method, path, body);
    expect({ path, status: res.status }).toEqual({ path, status: 400 });
    return [...(res.body.errors as FieldError[])].sort(byField);
  }

  it('a value of the wrong type gets its type message only, on every route', async () => {
    const cases: [string, string, unknown, FieldError[]][] = [
      [
        'POST',
        '/api/tasks',
        { projectId: 'x', title: 5, notes: 5, priority: '3', estimateHours: '1', tags: 'x' },
        [
          {
            field: 'estimateHours',
            message: 'estimateHours must be a number with at most 2 decimal places',
          },
          { field: 'notes', message: 'notes must be a string' },
          { field: 'priority', message: 'priority must be an integer number' },
          { field: 'projectId', message: 'projectId must be an integer number' },
          { field: 'tags', message: 'tags must be an array' },
          { field: 'title', message: 'title must be a string' },
        ],
      ],
      [
        'POST',
        '/api/tasks',
        { projectId, title: 'ok', tags: [5, 'ok'] },
        [{ field: 'tags', message: 'each value in tags must be a string' }],
      ],
      [
        'PATCH',
        `/api/tasks/${taskId}`,
        { title: ['a'], tags: 5 },
        [
          { field: 'tags', message: 'tags must be an array' },
          { field: 'title', message: 'title must be a string' },
        ],
      ],
      [
        'PUT',
        `/api/tasks/${taskId}/tags`,
        { tags: 'urgent' },
        [{ field: 'tags', message: 'tags must be an array' }],
      ],
      [
        'POST',
        '/api/projects',
        { name: 5, description: {}, archived: 'yes' },
        [
          { field: 'archived', message: 'archived must be a boolean value' },
          { field: 'description', message: 'description must be a string' },
          { field: 'name', message: 'name must be a string' },
        ],
      ],
      [
        'PATCH',
        `/api/projects/${projectId}`,
        { name: true },
        [{ field: 'name', message: 'name must be a string' }],
      ],
      ['POST', '/api/tags', { name: 5 }, [{ field: 'name', message: 'name must be a string' }]],
      [
        'GET',
        '/api/tasks?limit=ten&projectId=one',
        undefined,
        [
          { field: 'limit', message: 'limit must be an integer number' },
          { field: 'projectId', message: 'projectId must be an integer number' },
        ],
      ],
    ];
    for (const [method, path, body, expected] of cases) {
      expect({ method, path, errors: await errorsOf(method, path, body) }).toEqual({
        method,
        path,
        errors: expected,
      });
    }
  });

  it('a known query parameter given more than once: "must be given once", on every list', async () => {
    const once = (field: string) => ({ field, message: `${field} must be given once` });
    const cases: [string, FieldError[]][] = [
      ['/api/tasks?limit=5&limit=6', [once('limit')]],
      ['/api/tasks?limit=5&limit=5', [once('limit')]],
      ['/api/tasks?status=todo&sort=title&status=done&sort=-title', [once('sort'), once('status')]],
      [
        '/api/tasks?projectId=1&projectId=2&dueAfter=x&dueAfter=y',
        [once('dueAfter'), once('projectId')],
      ],
      // Other problems of the query are still named beside it.
      [
        '/api/tasks?q=a&q=b&offset=-1',
        [{ field: 'offset', message: 'offset must not be less than 0' }, once('q')],
      ],
      ['/api/projects?offset=1&offset=2', [once('offset')]],
      ['/api/projects?limit=1&q=x&limit=2&q=y', [once('limit'), once('q')]],
      ['/api/tags?q=a&q=b', [once('q')]],
      [`/api/projects/${projectId}/tasks?tag=a&tag=b`, [once('tag')]],
      // A parameter the list does not take stays an unknown one, repeated or not.
      ['/api/projects?foo=1&foo=2', [{ field: 'foo', message: 'foo is not allowed' }]],
      [
        `/api/projects/${projectId}/tasks?projectId=1&projectId=2`,
        [{ field: 'projectId', message: 'projectId is not allowed' }],
      ],
      // A parameter with no name (`?=1`) is named as such, not as " is not allowed".
      ['/api/projects?=1', [{ field: '', message: 'a field with an empty name is not allowed' }]],
    ];
    for (const [path, expected] of cases) {
      expect({ path, errors: await errorsOf('GET', path) }).toEqual({ path, errors: expected });
    }
  });

  it('a value of the right type still gets the message of each bound it breaks', async () => {
    const body = { projectId: 0, title: 'x'.repeat(201), priority: 9, tags: Array(51).fill('a') };
    expect(await errorsOf('POST', '/api/tasks', body)).toEqual([
      { field: 'priority', message: 'priority must not be greater than 5' },
      { field: 'projectId', message: 'projectId must not be less than 1' },
      { field: 'tags', message: 'tags must contain no more than 50 elements' },
      { field: 'title', message: 'title must be shorter than or equal to 200 characters' },
    ]);
    expect(await errorsOf('POST', '/api/tasks', { projectId, title: 'ok', tags: [''] })).toEqual([
      { field: 'tags', message: 'each value in tags must be longer than or equal to 1 characters' },
    ]);
    expect(await errorsOf('GET', '/api/projects?limit=0&offset=-1')).toEqual([
      { field: 'limit', message: 'limit must not be less than 1' },
      { field: 'offset', message: 'offset must not be less than 0' },
    ]);
  });

  it('a body that is not a JSON object is refused as such, an array of valid objects too', async () => {
    const notAnObject = [{ field: 'body', message: 'the request body must be a JSON object' }];
    for (const body of ['[{"name":"Listed"}]', '[]', '"Home"', '5', 'null']) {
      expect({ body, errors: await errorsOf('POST', '/api/projects', body) }).toEqual({
        body,
        errors: notAnObject,
      });
    }
    expect(await errorsOf('PATCH', `/api/tasks/${taskId}`, '[{"title":"x"}]')).toEqual(notAnObject);
    const listed = await api.request('GET', '/api/projects?q=Listed');
    expect(listed.body.total).toBe(0);
  });

  it('a number beyond a double (JSON allows 1e400) is refused naming its path, not stored as null', async () => {
    const body = (metadata: string) =>
      `{"projectId":${projectId},"title":"big numbers","metadata":${metadata}}`;
    const beyond = (path: string) => ({
      field: path.split('.')[0],
      message: `${path} is a number beyond the range of a double (at most about 1.8e308)`,
    });
    expect(await errorsOf('POST', '/api/tasks', body('{"a":1e400,"b":[1,-1e999]}'))).toEqual([
      beyond('metadata.a'),
      beyond('metadata.b.1'),
    ]);
    expect(await errorsOf('PATCH', `/api/tasks/${taskId}`, '{"estimateHours":1e400}')).toEqual([
      beyond('estimateHours'),
    ]);
    expect((await api.request('GET', '/api/tasks?q=big%20numbers')).body.total).toBe(0);
    // The largest double, and a number too small for one (read as 0, as JSON parsers do).
    const edge = await api.request(
      'POST',
      '/api/tasks',
      body('{"max":1.7976931348623157e308,"tiny":1e-400}'),
    );
    expect(edge.status).toBe(201);
    expect(edge.body.metadata).toEqual({ max: Number.MAX_VALUE, tiny: 0 });
  });

  it('nesting: 32 levels in a body are accepted, the 33rd is refused naming its path', async () => {
    /** `{ a: { a: ... { a: 1 } } }`, `levels` objects deep. */
    const nested = (levels: number): object =>
      levels === 1 ? { a: 1 } : { a: nested(levels - 1) };
    // The body is the first level, metadata the second.
    const deepest = await api.request('POST', '/api/tasks', {
      projectId,
      title: 'deep',
      metadata: nested(31),
    });
    expect(deepest.status).toBe(201);
    expect(deepest.body.metadata).toEqual(nested(31));
    const path = ['metadata', ...Array(31).fill('a')].join('.');
    expect(
      await errorsOf('POST', '/api/tasks', { projectId, title: 'deeper', metadata: nested(32) }),
    ).toEqual([{ field: 'metadata', message: `${path} is nested too deeply` }]);
  });

  it('a task at every length limit at once, in 4-byte characters, fits in the body limit', async () => {
    const emoji = '\u{1F600}'; // 4 bytes in UTF-8
    // 16 KiB of metadata once serialized: {"pad":"..."} is 10 bytes around the text.
    const metadata = { pad: 'x'.repeat(16 * 1024 - 10) };
    const body = {
      projectId,
      title: emoji.repeat(200),
      notes: emoji.repeat(10_000),
      metadata,
      tags: [],
    };
    const bytes = Buffer.byteLength(JSON.stringify(body));
    expect(bytes).toBeGreaterThan(55 * 1024);
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    const created = await api.request('POST', '/api/tasks', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: body.title, notes: body.notes, metadata });
  });
});
