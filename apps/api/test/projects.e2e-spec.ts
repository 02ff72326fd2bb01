import { request } from 'node:http';
import {
  DIALECTS,
  Dialect,
  freshDatabaseEnv,
  ISO_UTC,
  recordingRequests,
  startApi,
  TestApi,
} from '../../../tools/testing/test-api';

const transcripts: Record<string, unknown[]> = {};

/** A GET carrying a body (RFC 9110 gives it no meaning; some clients send one anyway). */
function getWithBody(url: string, type: string, body: string) {
  return new Promise<{ status: number; type: string; body: unknown }>((resolve, reject) => {
    // Its length given: node:http sends a GET's body neither chunked nor with a length itself.
    const headers = { 'content-type': type, 'content-length': Buffer.byteLength(body) };
    const req = request(url, { method: 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'] ?? '',
          body: JSON.parse(text),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(DIALECTS)('projects API on %s', (dialect: Dialect) => {
  let api: TestApi;
  const seen: unknown[] = (transcripts[dialect] = []);
  // Ids differ legitimately: PostgreSQL spends a sequence value on a failed insert.
  const call = recordingRequests(() => api, seen, /(projects\/|Project )\d+/g);

  beforeAll(async () => {
    api = await startApi(await freshDatabaseEnv(dialect));
  });
  afterAll(() => api.close());

  it('creates a project with defaults and a Location header', async () => {
    const res = await call('POST', '/api/projects', { name: 'Garden' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/projects/${res.body.id}`);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: 'Garden',
      description: null,
      archived: false,
      createdAt: expect.stringMatching(ISO_UTC),
      updatedAt: res.body.createdAt,
    });
    expect(Math.abs(Date.parse(res.body.createdAt) - Date.now())).toBeLessThan(5000);
  });

  it('reads, lists, searches and updates projects', async () => {
    const created = await call('POST', '/api/projects', {
      name: 'Äpfel ernten',
      description: 'Ö "quoted" \'x\'',
      archived: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    expect((await call('GET', `/api/projects/${id}`)).body).toEqual(created.body);

    const search = await call('GET', `/api/projects?q=${encodeURIComponent('äPFEL')}`);
    expect(search.body).toMatchObject({ total: 1, limit: 20, offset: 0, items: [{ id }] });

    const page = await call('GET', '/api/projects?limit=1&offset=1');
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1, items: [{ id }] });

    const patched = await call('PATCH', `/api/projects/${id}`, {
      archived: false,
      description: null,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      id,
      name: 'Äpfel ernten',
      archived: false,
      description: null,
    });
    expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(
      Date.parse(created.body.updatedAt),
    );
  });

  it('keeps updatedAt when a PATCH changes no stored value', async () => {
    const fields = { name: 'Unchanged', description: 'same', archived: true };
    const created = await call('POST', '/api/projects', fields);
    const path = `/api/projects/${created.body.id}`;
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const body of [{}, fields, { archived: true }]) {
      expect(await call('PATCH', path, body)).toMatchObject({ status: 200, body: created.body });
    }
    expect((await call('GET', path)).body).toEqual(created.body);
    const renamed = await call('PATCH', path, { name: 'Changed', archived: true });
    expect(renamed.body).toMatchObject({ name: 'Changed', createdAt: created.body.createdAt });
    expect(Date.parse(renamed.body.updatedAt)).toBeGreaterThan(Date.parse(created.body.updatedAt));
  });

  it('rejects a duplicate name case-insensitively with 409', async () => {
    const res = await call('POST', '/api/projects', { name: 'GARDEN' });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'name is already taken',
      errors: [{ field: 'name', message: 'name is already taken' }],
    });
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a name over 120 characters', { name: 'x'.repeat(121) }],
    ['an unknown field', { name: 'ok', owner: 'me' }],
    ['a non-boolean archived', { name: 'ok', archived: 'yes' }],
    ['a missing name', {}],
  ])('rejects %s with 400 problem+json', async (_label, body) => {
    const res = await call('POST', '/api/projects', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
    expect(res.body.errors.length).toBeGreaterThan(0);
  });

  it('rejects body fields named constructor, prototype or toString as any unknown field', async () => {
    const { body } = await call('POST', '/api/projects', { name: 'Reserved names' });
    for (const key of ['constructor', 'prototype', 'toString']) {
      for (const [method, path] of [
        ['POST', '/api/projects'],
        ['PATCH', `/api/projects/${body.id}`],
      ]) {
        const res = await call(method, path, { name: `Named ${key}`, [key]: 1 });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'The request is invalid',
          errors: [{ field: key, message: `${key} is not allowed` }],
        });
      }
    }
    expect((await call('GET', `/api/projects/${body.id}`)).body.name).toBe('Reserved names');
    const listed = await call('GET', `/api/projects?q=${encodeURIComponent('named')}`);
    expect(listed.body.total).toBe(0);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await call('GET', '/api/projects/999999')).status).toBe(404);
    expect((await call('PATCH', '/api/projects/999999', { name: 'x' })).status).toBe(404);
    expect((await call('DELETE', '/api/projects/999999')).status).toBe(404);
    expect((await call('GET', '/api/projects/abc')).status).toBe(400);
    expect((await call('GET', '/api/projects/99999999999')).status).toBe(400);
  });

  it('answers 400 for malformed JSON and 415 for a non-JSON body', async () => {
    const malformed = await call('POST', '/api/projects', '{"name":', {
      'content-type': 'application/json',
    });
    expect(malformed.status).toBe(400);
    const text = await call('POST', '/api/projects', 'name=x', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a body that is not UTF-8 rather than storing U+FFFD for its bytes', async () => {
    // "Café" as a Latin-1 client sends it: é is the byte 0xE9, which UTF-8 cannot decode. JSON
    // is UTF-8 whatever charset the client names (RFC 8259).
    const latin1 = Buffer.from('{"name":"Café"}', 'latin1');
    for (const type of [
      'application/json',
      'application/json; charset=iso-8859-1',
      'application/merge-patch+json',
    ]) {
      const res = await call('POST', '/api/projects', latin1, { 'content-type': type });
      expect({ type, status: res.status, detail: res.body.detail }).toEqual({
        type,
        status: 400,
        detail: 'The request body is not valid UTF-8',
      });
    }
    expect((await call('GET', '/api/projects?q=caf')).body.items).toEqual([]);
    // U+FFFD sent as UTF-8 is text like any other; so is a body starting with a UTF-8 BOM.
    const replacement = Buffer.from('\uFEFF{"name":"Caf\uFFFD"}', 'utf8');
    const created = await call('POST', '/api/projects', replacement);
    expect([created.status, created.body.name]).toEqual([201, 'Caf\uFFFD']);
  });

  it('answers a URL the router refuses (bad escape, over-long id) as problem+json 400', async () => {
    for (const path of ['/api/projects/%FF', `/api/projects/${'1'.repeat(101)}`]) {
      const res = await call('GET', path, undefined, { 'x-request-id': 'router-1' });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 400, title: 'Bad Request' });
      expect(res.headers.get('x-request-id')).toBe('router-1');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('reads application/*+json bodies as JSON (JSON Merge Patch, JSON:API)', async () => {
    const created = await call('POST', '/api/projects', JSON.stringify({ name: 'Typed JSON' }), {
      'content-type': 'application/vnd.api+json',
    });
    expect(created.status).toBe(201);
    const patched = await call(
      'PATCH',
      `/api/projects/${created.body.id}`,
      JSON.stringify({ description: 'merged' }),
      { 'content-type': 'application/merge-patch+json; charset=utf-8' },
    );
    expect(patched).toMatchObject({ status: 200, body: { description: 'merged' } });
  });

  it('refuses prototype-poisoning JSON bodies in the parser, whatever the JSON media type', async () => {
    const bodies = [
      '{"__proto__":{"x":1},"name":"Poisoned"}',
      '{"name":"Poisoned","constructor":{"prototype":{"x":1}}}',
    ];
    for (const type of ['application/json', 'application/merge-patch+json']) {
      for (const body of bodies) {
        const res = await call('POST', '/api/projects', body, { 'content-type': type });
        expect({ type, body, status: res.status, detail: res.body.detail }).toEqual({
          type,
          body,
          status: 400,
          detail: 'The request body is not valid JSON',
        });
      }
    }
    expect((await call('GET', '/api/projects?q=poisoned')).body.items).toEqual([]);
  });

  it('ignores a body sent with a GET, whatever its type, and documents no body errors for GETs', async () => {
    const { id } = (await call('POST', '/api/projects', { name: 'Read with a body' })).body;
    for (const [type, body] of [
      ['text/plain', 'x'],
      ['application/json', '{'],
      ['application/json', 'x'.repeat(70_000)],
    ]) {
      for (const path of [`/api/projects/${id}`, '/health', '/health/live']) {
        // fetch() refuses a GET with a body: node:http sends one.
        const res = await getWithBody(api.baseUrl + path, type, body);
        const size = body.length;
        expect({ path, type, size, status: res.status }).toEqual({ path, type, size, status: 200 });
        expect(api.contract.check('GET', path, res.status, res.type, res.body)).toEqual([]);
      }
    }
    const document: any = await (await fetch(`${api.baseUrl}/docs-json`)).json();
    for (const [path, operations] of Object.entries<any>(document.paths)) {
      const statuses = Object.keys(operations.get?.responses ?? {});
      expect({ path, bodyErrors: statuses.filter((s) => s === '413' || s === '415') }).toEqual({
        path,
        bodyErrors: [],
      });
    }
  });

  it('deletes a project', async () => {
    const { body } = await call('POST', '/api/projects', { name: 'Temporary' });
    expect((await call('DELETE', `/api/projects/${body.id}`)).status).toBe(204);
    expect((await call('GET', `/api/projects/${body.id}`)).status).toBe(404);
  });

  it('reports healthy readiness and liveness', async () => {
    // Terminus's shape, as the OpenAPI document describes it (request() checks).
    const ready = await api.request('GET', '/health');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
    const live = await api.request('GET', '/health/live');
    expect(live.status).toBe(200);
  });
});

describe('both dialects', () => {
  it('returned identical JSON for the same requests (ids and timestamps aside)', () => {
    const strip = (entries: unknown[]) =>
      JSON.parse(JSON.stringify(entries).replace(/"responseTime":\d+/g, '"responseTime":0'));
    expect(transcripts.sqlite.length).toBeGreaterThan(10);
    expect(strip(transcripts.postgres)).toEqual(strip(transcripts.sqlite));
  });
});
