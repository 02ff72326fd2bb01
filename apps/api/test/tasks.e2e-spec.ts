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
const IDS = /(projects\/|tasks\/|tags\/|Project |Task |Tag |project |projectId=)\d+/g;

describe.each(DIALECTS)('tasks and tags API on %s', (dialect: Dialect) => {
  let api: TestApi;
  const seen: unknown[] = (transcripts[dialect] = []);
  const call = recordingRequests(() => api, seen, IDS);
  const titles = async (query: string) => {
    const res = await call('GET', `/api/tasks?limit=100&${query}`);
    expect(res.status).toBe(200);
    return (res.body.items as { title: string }[]).map((task) => task.title);
  };
  const expect400 = async (method: string, path: string, body?: unknown, field?: string) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
    if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    return res;
  };

  let home: number;
  let work: number;

  beforeAll(async () => {
    api = await startApi(await freshDatabaseEnv(dialect));
    home = (await call('POST', '/api/projects', { name: 'Home' })).body.id;
    work = (await call('POST', '/api/projects', { name: 'Work' })).body.id;
  });
  afterAll(() => api.close());

  describe('tags', () => {
    it('creates, reads, lists, searches, updates and deletes tags', async () => {
      const created = await call('POST', '/api/tags', { name: 'Ärger' });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/api/tags/${created.body.id}`);
      expect(created.body).toEqual({ id: expect.any(Number), name: 'Ärger', color: null });
      expect((await call('GET', `/api/tags/${created.body.id}`)).body).toEqual(created.body);

      for (const [name, color] of [
        ['urgent', '#ff0000'],
        ['Garden', '#22AA88'],
        ['later', null],
      ]) {
        expect((await call('POST', '/api/tags', { name, color })).status).toBe(201);
      }
      const search = await call('GET', `/api/tags?q=${encodeURIComponent('äR')}`);
      expect(search.body).toEqual({ items: [created.body], total: 1, limit: 20, offset: 0 });
      const page = await call('GET', '/api/tags?limit=2&offset=1');
      expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 1 });
      expect(page.body.items.map((t: { name: string }) => t.name)).toEqual(['urgent', 'Garden']);

      const patched = await call('PATCH', `/api/tags/${created.body.id}`, { color: '#00ff00' });
      expect(patched.body).toEqual({ ...created.body, color: '#00ff00' });
      const cleared = await call('PATCH', `/api/tags/${created.body.id}`, { color: null });
      expect(cleared.body.color).toBeNull();

      const temp = await call('POST', '/api/tags', { name: 'temporary' });
      expect((await call('DELETE', `/api/tags/${temp.body.id}`)).status).toBe(204);
      expect((await call('GET', `/api/tags/${temp.body.id}`)).status).toBe(404);
    });

    it.each([['URGENT'], ['ärger'], ['ÄRGER']])(
      'rejects %s as a duplicate name with 409',
      async (name) => {
        const res = await call('POST', '/api/tags', { name });
        expect(res.status).toBe(409);
        expect(res.body).toEqual({
          type: 'about:blank',
          title: 'Conflict',
          status: 409,
          detail: 'name is already taken',
          errors: [{ field: 'name', message: 'name is already taken' }],
        });
      },
    );

    it('answers 409 when a rename clashes, 404/400 for unknown or malformed ids', async () => {
      const later = (await call('GET', '/api/tags?q=later')).body.items[0];
      expect((await call('PATCH', `/api/tags/${later.id}`, { name: 'Urgent' })).status).toBe(409);
      expect((await call('GET', '/api/tags/999999')).status).toBe(404);
      expect((await call('PATCH', '/api/tags/999999', { color: null })).status).toBe(404);
      expect((await call('DELETE', '/api/tags/999999')).status).toBe(404);
      await expect400('GET', '/api/tags/abc');
      await expect400('DELETE', '/api/tags/0');
    });

    it.each([
      ['an empty name', { name: '' }, 'name'],
      ['a name over 40 characters', { name: 'x'.repeat(41) }, 'name'],
      ['a bad color', { name: 'ok', color: 'red' }, 'color'],
      ['a short color', { name: 'ok', color: '#fff' }, 'color'],
      ['an unknown field', { name: 'ok', weight: 1 }, 'weight'],
      ['a null name', { name: null }, 'name'],
      ['a NUL character', { name: 'a\u0000b' }, 'name'],
    ])('rejects %s with 400', async (_label, body, field) => {
      await expect400('POST', '/api/tags', body, field);
    });

    it('rejects a null name on PATCH with 400 (not a database error)', async () => {
      const later = (await call('GET', '/api/tags?q=later')).body.items[0];
      await expect400('PATCH', `/api/tags/${later.id}`, { name: null }, 'name');
    });
  });

  describe('tasks', () => {
    it('creates a task with defaults and a Location header', async () => {
      const res = await call('POST', '/api/tasks', { projectId: home, title: 'Water plants' });
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/api/tasks/${res.body.id}`);
      expect(res.body).toEqual({
        id: expect.any(Number),
        projectId: home,
        title: 'Water plants',
        notes: null,
        status: 'todo',
        priority: 3,
        dueAt: null,
        estimateHours: null,
        metadata: null,
        tags: [],
        createdAt: expect.stringMatching(ISO_UTC),
        updatedAt: res.body.createdAt,
      });
      expect(Math.abs(Date.parse(res.body.createdAt) - Date.now())).toBeLessThan(5000);
    });

    it('round-trips every field: instant, decimals, unicode metadata, sorted tags', async () => {
      const metadata = {
        a: 1,
        b: [{ c: 'é' }, 2.5, true, null],
        d: null,
        emoji: '😀 ß Ω 中文',
        nested: { deep: { deeper: [] } },
        'key with "quotes"': 'and \\ backslash',
      };
      const res = await call('POST', '/api/tasks', {
        projectId: home,
        title: 'Prune the Äpfel tree',
        notes: 'Use the big SCHERE',
        status: 'in_progress',
        priority: 5,
        dueAt: '2030-01-15T10:00:00+02:00',
        estimateHours: 1.25,
        metadata,
        tags: ['urgent', 'GARDEN'],
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'in_progress',
        priority: 5,
        dueAt: '2030-01-15T08:00:00.000Z',
        estimateHours: 1.25,
        metadata,
        tags: ['Garden', 'urgent'],
      });
      expect((await call('GET', `/api/tasks/${res.body.id}`)).body).toEqual(res.body);
    });

    it('accepts metadata of exactly 16 KiB and rejects one byte more', async () => {
      const sized = (bytes: number) => ({ pad: 'x'.repeat(bytes - '{"pad":""}'.length) });
      const ok = await call('POST', '/api/tasks', {
        projectId: work,
        title: 'Big metadata',
        metadata: sized(16384),
      });
      expect(ok.status).toBe(201);
      expect(ok.body.metadata).toEqual(sized(16384));
      await expect400(
        'POST',
        '/api/tasks',
        { projectId: work, title: 'Too big', metadata: sized(16385) },
        'metadata',
      );
    });

    it.each([
      ['a missing title', {}, 'title'],
      ['an empty title', { title: '' }, 'title'],
      ['a title over 200 characters', { title: 'x'.repeat(201) }, 'title'],
      ['a null title', { title: null }, 'title'],
      ['an unknown status', { status: 'nope' }, 'status'],
      ['a null status', { status: null }, 'status'],
      ['priority 0', { priority: 0 }, 'priority'],
      ['priority 6', { priority: 6 }, 'priority'],
      ['a fractional priority', { priority: 2.5 }, 'priority'],
      ['a priority as a string', { priority: '3' }, 'priority'],
      ['a local time without offset', { dueAt: '2030-01-15T10:00:00' }, 'dueAt'],
      ['a date without time', { dueAt: '2030-01-15' }, 'dueAt'],
      ['a non-date', { dueAt: 'tomorrow' }, 'dueAt'],
      ['an impossible date', { dueAt: '2030-02-30T10:00:00Z' }, 'dueAt'],
      ['negative hours', { estimateHours: -1 }, 'estimateHours'],
      ['three decimals', { estimateHours: 1.234 }, 'estimateHours'],
      ['hours in exponent notation', { estimateHours: 1e-7 }, 'estimateHours'],
      ['the smallest positive hours', { estimateHours: 5e-324 }, 'estimateHours'],
      ['hours as a string', { estimateHours: '1.5' }, 'estimateHours'],
      ['hours over 999 999.99', { estimateHours: 1_000_000 }, 'estimateHours'],
      ['notes over 10 000 characters', { notes: 'x'.repeat(10_001) }, 'notes'],
      ['array metadata', { metadata: [1, 2] }, 'metadata'],
      ['string metadata', { metadata: 'text' }, 'metadata'],
      ['number metadata', { metadata: 42 }, 'metadata'],
      ['metadata holding a NUL', { metadata: { a: 'x\u0000' } }, 'metadata'],
      ['notes holding a NUL', { notes: 'x\u0000' }, 'notes'],
      ['an unknown field', { owner: 'me' }, 'owner'],
      ['tags that are not strings', { tags: [1] }, 'tags'],
      ['a non-numeric projectId', { projectId: 'abc' }, 'projectId'],
      ['an unknown project', { projectId: 999999 }, 'projectId'],
      // With tags the links are written in the same transaction: all of it is rolled back.
      ['an unknown project, with tags', { projectId: 999999, tags: ['urgent'] }, 'projectId'],
    ])('rejects %s with 400', async (_label, fields, field) => {
      const body = { projectId: home, title: 'Valid', ...fields };
      if (field === 'title' && !('title' in fields)) delete (body as { title?: string }).title;
      await expect400('POST', '/api/tasks', body, field);
    });

    it('uses no id on a create refused for an unknown project (one statement, no sequence gap)', async () => {
      const first = await call('POST', '/api/tasks', { projectId: home, title: 'Before' });
      expect(first.status).toBe(201);
      await expect400('POST', '/api/tasks', { projectId: 999999, title: 'Refused' }, 'projectId');
      const refused = await call('POST', '/api/tasks', { projectId: 999999, title: 'Refused' });
      expect(refused.body.errors).toEqual([
        { field: 'projectId', message: 'project 999999 does not exist' },
      ]);
      const next = await call('POST', '/api/tasks', { projectId: home, title: 'After' });
      expect(next.status).toBe(201);
      expect(next.body.id).toBe(first.body.id + 1);
      const titles = (await call('GET', '/api/tasks?limit=100&q=refused')).body.items;
      expect(titles).toEqual([]);
    });

    it.each(['constructor', 'prototype', 'toString', 'hasOwnProperty'])(
      'rejects a body field named %s as any unknown field, and in metadata instead of dropping it',
      async (key) => {
        const valid = { projectId: home, title: 'Reserved' };
        for (const [method, path] of [
          ['POST', '/api/tasks'],
          ['PATCH', `/api/tasks/${home}`],
        ]) {
          const res = await expect400(method, path, { ...valid, [key]: 'x', owner: 'me' });
          expect(res.body.errors).toEqual([
            { field: key, message: `${key} is not allowed` },
            { field: 'owner', message: 'owner is not allowed' },
          ]);
        }
        const nested = { ...valid, metadata: { a: 1, deep: { [key]: 'x' } } };
        const res = await expect400('POST', '/api/tasks', nested, 'metadata');
        expect(res.body.errors).toEqual([
          { field: 'metadata', message: `metadata.deep has a reserved field name: ${key}` },
        ]);
      },
    );

    it('rejects unknown tag names with 400 naming every one of them', async () => {
      const res = await expect400('POST', '/api/tasks', {
        projectId: home,
        title: 'Tagged',
        tags: ['urgent', 'nope', 'Nada', 'nope'],
      });
      // Each unknown name once, however often it was given.
      expect(res.body.errors).toEqual([{ field: 'tags', message: 'unknown tags: "nope", "Nada"' }]);
    });

    it('updates partially, clears nullable fields and answers 404/400 for bad ids', async () => {
      const created = await call('POST', '/api/tasks', {
        projectId: home,
        title: 'Patch me',
        notes: 'n',
        dueAt: '2031-06-01T00:00:00Z',
        estimateHours: 3,
        metadata: { k: 'v' },
      });
      const id = created.body.id;
      const patched = await call('PATCH', `/api/tasks/${id}`, {
        status: 'done',
        notes: null,
        dueAt: null,
        estimateHours: null,
        metadata: null,
        projectId: work,
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        id,
        title: 'Patch me',
        status: 'done',
        notes: null,
        dueAt: null,
        estimateHours: null,
        metadata: null,
        projectId: work,
      });
      expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(
        Date.parse(created.body.updatedAt),
      );
      expect(patched.body.createdAt).toBe(created.body.createdAt);
      await expect400('PATCH', `/api/tasks/${id}`, { title: null }, 'title');
      await expect400('PATCH', `/api/tasks/${id}`, { priority: null }, 'priority');
      await expect400('PATCH', `/api/tasks/${id}`, { projectId: 999999 }, 'projectId');
      await expect400('PATCH', `/api/tasks/${id}`, { estimateHours: 1e-7 }, 'estimateHours');
      expect((await call('GET', '/api/tasks/999999')).status).toBe(404);
      expect((await call('PATCH', '/api/tasks/999999', { title: 'x' })).status).toBe(404);
      expect((await call('DELETE', '/api/tasks/999999')).status).toBe(404);
      await expect400('GET', '/api/tasks/abc');
      await expect400('GET', '/api/tasks/1.5');
      await expect400('GET', '/api/tasks/99999999999');
      // Other spellings of an existing id are malformed, not aliases of the task.
      for (const alias of [`+${id}`, `${id}.0`, `${id}e0`, `0x${id.toString(16)}`, `%20${id}`]) {
        await expect400('GET', `/api/tasks/${alias}`);
      }
      // Decimal digits are the id, leading zeros included.
      expect((await call('GET', `/api/tasks/0${id}`)).status).toBe(200);
    });

    it('keeps updatedAt when a PATCH or PUT changes no stored value; a tag change is a change', async () => {
      const fields = {
        projectId: home,
        title: 'Unchanged',
        notes: 'same',
        status: 'in_progress',
        priority: 4,
        dueAt: '2031-06-01T12:00:00Z',
        estimateHours: 2.5,
        metadata: { a: 1, b: { c: [1, 'x'] } },
      };
      const created = await call('POST', '/api/tasks', { ...fields, tags: ['urgent', 'Garden'] });
      expect(created.status).toBe(201);
      const path = `/api/tasks/${created.body.id}`;
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const body of [
        {},
        fields,
        // The same values written differently: another offset, tag case and order, key order.
        {
          dueAt: '2031-06-01T14:00:00+02:00',
          tags: ['GARDEN', 'urgent', 'garden'],
          metadata: { b: { c: [1, 'x'] }, a: 1 },
        },
      ]) {
        expect(await call('PATCH', path, body)).toMatchObject({ status: 200, body: created.body });
      }
      const put = await call('PUT', `${path}/tags`, { tags: ['Urgent', 'garden'] });
      expect(put).toMatchObject({ status: 200, body: created.body });
      expect((await call('GET', path)).body).toEqual(created.body);

      const retagged = await call('PATCH', path, { tags: ['urgent'] });
      expect(retagged.body).toEqual({
        ...created.body,
        tags: ['urgent'],
        updatedAt: expect.stringMatching(ISO_UTC),
      });
      expect(Date.parse(retagged.body.updatedAt)).toBeGreaterThan(
        Date.parse(created.body.updatedAt),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      const renamed = await call('PATCH', path, { title: 'Changed', priority: 4 });
      expect(renamed.body).toMatchObject({ title: 'Changed', createdAt: created.body.createdAt });
      expect(Date.parse(renamed.body.updatedAt)).toBeGreaterThan(
        Date.parse(retagged.body.updatedAt),
      );
    });

    it('keeps updatedAt when a PATCH writes a stored 0 as -0.0 (one JSON number, stored as 0)', async () => {
      const created = await call('POST', '/api/tasks', {
        projectId: home,
        title: 'Zeros',
        estimateHours: 0,
        metadata: { a: 0, b: [0, { c: 0 }] },
      });
      expect(created.status).toBe(201);
      const path = `/api/tasks/${created.body.id}`;
      await new Promise((resolve) => setTimeout(resolve, 20));
      // JSON.stringify never writes -0.0; other clients do (Python's json.dumps(-0.0), for one).
      for (const body of [
        '{"estimateHours":-0.0}',
        '{"metadata":{"b":[-0,{"c":-0.0}],"a":-0.0}}',
        '{"estimateHours":-0,"metadata":{"a":0,"b":[0,{"c":-0e5}]}}',
      ]) {
        expect(await call('PATCH', path, body)).toMatchObject({ status: 200, body: created.body });
      }
      expect((await call('GET', path)).body).toEqual(created.body);
    });

    it('stores a PATCHed metadata object: read back alike by id and in lists, through later saves', async () => {
      const created = await call('POST', '/api/tasks', {
        projectId: home,
        title: 'Metadata patch',
        metadata: { a: 1 },
      });
      const path = `/api/tasks/${created.body.id}`;
      const metadata = { z: 1, a: { y: [2, 'é', 1.5], b: null }, t: true };
      expect((await call('PATCH', path, { metadata })).body.metadata).toEqual(metadata);
      // Later saves of the task (a title, its tags) keep the value as it is.
      await call('PATCH', path, { title: 'Metadata patched' });
      await call('PUT', `${path}/tags`, { tags: ['urgent'] });
      const read = await call('GET', path);
      expect(read.body).toMatchObject({ title: 'Metadata patched', tags: ['urgent'], metadata });
      if (dialect === 'sqlite') expect(Object.keys(read.body.metadata)).toEqual(['z', 'a', 't']);
      const listed = await call('GET', '/api/tasks?q=metadata%20patched');
      expect(listed.body.items).toEqual([read.body]);
      // The same value again is no change.
      expect(await call('PATCH', path, { metadata })).toMatchObject({
        status: 200,
        body: read.body,
      });
    });

    it('replaces tags by name (case-insensitive, deduplicated) and clears them', async () => {
      const { id } = (await call('POST', '/api/tasks', { projectId: work, title: 'Re-tag' })).body;
      const put = await call('PUT', `/api/tasks/${id}/tags`, {
        tags: ['LATER', 'ärger', 'later', 'Urgent'],
      });
      expect(put.status).toBe(200);
      expect(put.body.tags).toEqual(['later', 'urgent', 'Ärger']);
      const again = await call('PUT', `/api/tasks/${id}/tags`, { tags: ['garden'] });
      expect(again.body.tags).toEqual(['Garden']);

      const unknown = await expect400('PUT', `/api/tasks/${id}/tags`, { tags: ['x', 'Garden'] });
      expect(unknown.body.errors).toEqual([{ field: 'tags', message: 'unknown tags: "x"' }]);
      expect((await call('GET', `/api/tasks/${id}`)).body.tags).toEqual(['Garden']);

      await expect400('PUT', `/api/tasks/${id}/tags`, { tags: 'Garden' }, 'tags');
      await expect400('PUT', `/api/tasks/${id}/tags`, {}, 'tags');
      expect((await call('PUT', '/api/tasks/999999/tags', { tags: [] })).status).toBe(404);

      const cleared = await call('PUT', `/api/tasks/${id}/tags`, { tags: [] });
      expect(cleared.body.tags).toEqual([]);
    });

    it('deletes a tag from every task that had it', async () => {
      const tag = (await call('POST', '/api/tags', { name: 'ephemeral' })).body;
      const task = await call('POST', '/api/tasks', {
        projectId: work,
        title: 'Has ephemeral',
        tags: ['ephemeral', 'later'],
      });
      expect(task.body.tags).toEqual(['ephemeral', 'later']);
      expect((await call('DELETE', `/api/tags/${tag.id}`)).status).toBe(204);
      expect((await call('GET', `/api/tasks/${task.body.id}`)).body.tags).toEqual(['later']);
    });

    it('deletes a task, and a project with all of its tasks', async () => {
      const project = (await call('POST', '/api/projects', { name: 'Doomed' })).body;
      const a = (await call('POST', '/api/tasks', { projectId: project.id, title: 'A' })).body;
      const b = (await call('POST', '/api/tasks', { projectId: project.id, title: 'B' })).body;
      expect((await call('DELETE', `/api/tasks/${a.id}`)).status).toBe(204);
      expect((await call('GET', `/api/tasks/${a.id}`)).status).toBe(404);
      const listed = await call('GET', `/api/projects/${project.id}/tasks`);
      expect(listed.body).toMatchObject({ total: 1, items: [{ id: b.id }] });
      expect((await call('DELETE', `/api/projects/${project.id}`)).status).toBe(204);
      expect((await call('GET', `/api/tasks/${b.id}`)).status).toBe(404);
      expect((await call('GET', `/api/projects/${project.id}/tasks`)).status).toBe(404);
      expect((await call('GET', `/api/tasks?projectId=${project.id}`)).body.total).toBe(0);
    });
  });

  describe('lists', () => {
    beforeAll(async () => {
      const seed = [
        { title: 'alpha', priority: 2, dueAt: '2030-03-01T00:00:00Z', status: 'done' },
        { title: 'Bravo', priority: 4, dueAt: '2030-01-01T00:00:00Z', tags: ['urgent'] },
        { title: 'charlie', priority: 2, notes: 'Über die BRÜCKE', tags: ['Ärger', 'later'] },
        { title: 'delta', priority: 4, dueAt: '2030-02-01T00:00:00Z', tags: ['URGENT'] },
        { title: 'Echo äÄ', priority: 1, dueAt: '2030-02-01T00:00:00Z', status: 'in_progress' },
      ];
      const list = await call('POST', '/api/projects', { name: 'Lists' });
      for (const task of seed) {
        const res = await call('POST', '/api/tasks', { projectId: list.body.id, ...task });
        expect(res.status).toBe(201);
      }
      listProject = list.body.id;
    });
    let listProject: number;
    const inList = () => `projectId=${listProject}`;

    it('filters by project, status, tag, text and due dates', async () => {
      expect(await titles(inList())).toEqual(['alpha', 'Bravo', 'charlie', 'delta', 'Echo äÄ']);
      expect(await titles(`${inList()}&status=done`)).toEqual(['alpha']);
      expect(await titles(`${inList()}&status=in_progress`)).toEqual(['Echo äÄ']);
      expect(await titles(`${inList()}&tag=Urgent`)).toEqual(['Bravo', 'delta']);
      expect(await titles(`${inList()}&tag=%C3%84RGER`)).toEqual(['charlie']);
      expect(await titles(`${inList()}&tag=nothing`)).toEqual([]);
      expect(await titles(`${inList()}&q=${encodeURIComponent('ÜBER die brücke')}`)).toEqual([
        'charlie',
      ]);
      expect(await titles(`${inList()}&q=${encodeURIComponent('ÄÄ')}`)).toEqual(['Echo äÄ']);
      expect(await titles(`${inList()}&q=${encodeURIComponent('%')}`)).toEqual([]);
      expect(await titles(`${inList()}&q=${encodeURIComponent('_')}`)).toEqual([]);
      expect(await titles(`${inList()}&dueBefore=2030-02-01T00:00:00Z`)).toEqual(['Bravo']);
      expect(await titles(`${inList()}&dueAfter=2030-02-01T00:00:00Z`)).toEqual([
        'alpha',
        'delta',
        'Echo äÄ',
      ]);
      const window = `dueAfter=2030-01-15T00:00:00Z&dueBefore=${encodeURIComponent('2030-02-01T00:00:00.001+00:00')}`;
      expect(await titles(`${inList()}&${window}`)).toEqual(['delta', 'Echo äÄ']);
      expect(await titles(`${inList()}&tag=urgent&status=todo&q=b`)).toEqual(['Bravo']);
      const scoped = await call('GET', `/api/projects/${listProject}/tasks?tag=later`);
      // A listed task carries all of its tags (their names are loaded for the whole page at once).
      expect(scoped.body).toMatchObject({
        total: 1,
        items: [{ title: 'charlie', tags: ['later', 'Ärger'] }],
      });
    });

    it.each([
      ['createdAt', ['alpha', 'Bravo', 'charlie', 'delta', 'Echo äÄ']],
      ['-createdAt', ['Echo äÄ', 'delta', 'charlie', 'Bravo', 'alpha']],
      ['priority', ['Echo äÄ', 'alpha', 'charlie', 'Bravo', 'delta']],
      ['-priority', ['delta', 'Bravo', 'charlie', 'alpha', 'Echo äÄ']],
      ['dueAt', ['Bravo', 'delta', 'Echo äÄ', 'alpha', 'charlie']],
      ['-dueAt', ['alpha', 'Echo äÄ', 'delta', 'Bravo', 'charlie']],
      ['title', ['Bravo', 'Echo äÄ', 'alpha', 'charlie', 'delta']],
      ['-title', ['delta', 'charlie', 'alpha', 'Echo äÄ', 'Bravo']],
    ])('sorts by %s (ties by id, tasks without dueAt last)', async (sort, expected) => {
      expect(await titles(`${inList()}&sort=${sort}`)).toEqual(expected);
    });

    // Lower case writes Σ at a word's end as ς (final sigma) and inside a word as σ: "ΟΔΟΣ"
    // alone folds to "οδος", which "ΟΔΟΣΑ" (folded "οδοσα") does not contain.
    it('finds a Greek word by a piece of it that ends in Σ (final sigma), in every list', async () => {
      const project = await call('POST', '/api/projects', { name: 'ΟΔΟΣΑ project' });
      const task = await call('POST', '/api/tasks', { projectId: project.body.id, title: 'ΟΔΟΣΑ' });
      const tag = await call('POST', '/api/tags', { name: 'ΟΔΟΣΑ tag' });
      for (const q of ['ΟΔΟΣ', 'ΔΟΣ', 'οδος', 'Σ']) {
        const query = `q=${encodeURIComponent(q)}&limit=100`;
        const found = async (list: string) =>
          (await call('GET', `/api/${list}?${query}`)).body.items.map((i: { id: number }) => i.id);
        expect({ q, tasks: await found('tasks') }).toEqual({ q, tasks: [task.body.id] });
        expect({ q, projects: await found('projects') }).toEqual({
          q,
          projects: [project.body.id],
        });
        expect({ q, tags: await found('tags') }).toEqual({ q, tags: [tag.body.id] });
      }
    });

    it('pages: limit 1, limit 100, offset past the end, defaults', async () => {
      const one = await call('GET', `/api/tasks?${inList()}&limit=1&offset=2`);
      expect(one.body).toMatchObject({
        total: 5,
        limit: 1,
        offset: 2,
        items: [{ title: 'charlie' }],
      });
      const hundred = await call('GET', `/api/tasks?${inList()}&limit=100`);
      expect(hundred.body).toMatchObject({ total: 5, limit: 100, offset: 0 });
      expect(hundred.body.items).toHaveLength(5);
      const past = await call('GET', `/api/tasks?${inList()}&offset=50`);
      expect(past.body).toEqual({ items: [], total: 5, limit: 20, offset: 50 });
      const all = await call('GET', '/api/tasks');
      expect(all.body).toMatchObject({ limit: 20, offset: 0 });
      expect(all.body.total).toBeGreaterThan(5);
    });

    it.each([
      'limit=0',
      'limit=101',
      'limit=-1',
      'limit=abc',
      'limit=1.5',
      'limit=',
      'offset=-1',
      'offset=x',
      'sort=bogus',
      'sort=id',
      'sort=--title',
      'status=nope',
      'dueBefore=notadate',
      'dueAfter=2030-01-01',
      'projectId=abc',
      'projectId=',
      'projectId=0',
      // Only decimal integers: Number() would read these as 16, 10, 5, 2 and 0.
      'limit=0x10',
      'limit=1e1',
      'limit=%205',
      'projectId=2.0',
      'offset=',
      'q=' + 'x'.repeat(201),
      'q=%00',
      'tag=',
      'unknown=1',
      'status=todo&status=done',
    ])('rejects ?%s with 400 problem+json', async (query) => {
      await expect400('GET', `/api/tasks?${query}`);
    });

    // Names every object inherits (and `prototype`): Nest and class-transformer drop them
    // before the whitelist check, so they used to pass silently.
    it.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'])(
      'rejects the query key %s on every list as any unknown key',
      async (key) => {
        for (const list of ['tasks', 'projects', 'tags', `projects/${listProject}/tasks`]) {
          const res = await expect400('GET', `/api/${list}?limit=5&${key}=1`);
          expect(res.body).toEqual({
            type: 'about:blank',
            title: 'Bad Request',
            status: 400,
            detail: 'The request is invalid',
            errors: [{ field: key, message: `${key} is not allowed` }],
          });
        }
      },
    );

    it('rejects bad list parameters on the other lists too', async () => {
      await expect400('GET', '/api/projects?limit=101', undefined, 'limit');
      await expect400('GET', '/api/tags?offset=-1', undefined, 'offset');
      await expect400('GET', '/api/tags?offset=1e1', undefined, 'offset');
      await expect400('GET', `/api/projects/${listProject}/tasks?limit=0x10`, undefined, 'limit');
      await expect400(
        'GET',
        `/api/projects/${listProject}/tasks?projectId=1`,
        undefined,
        'projectId',
      );
      await expect400('GET', '/api/projects/abc/tasks');
      expect((await call('GET', '/api/projects/999999/tasks')).status).toBe(404);
    });
  });

  describe('transport errors', () => {
    it('answers 400 for malformed JSON, 415 for non-JSON writes, 413 for huge bodies', async () => {
      const json = { 'content-type': 'application/json' };
      const invalid = { status: 400, detail: 'The request body is not valid JSON' };
      expect((await call('POST', '/api/tasks', '{"title":', json)).body).toMatchObject(invalid);
      expect((await call('POST', '/api/tags', '[1,', json)).body).toMatchObject(invalid);
      const mergePatch = { 'content-type': 'application/merge-patch+json' };
      // Fastify's own text would say "content-type is set to 'application/json'" here.
      expect((await call('PATCH', '/api/tasks/1', '{', mergePatch)).body).toMatchObject(invalid);
      const empty = await call('POST', '/api/tags', '', json);
      expect(empty.body).toMatchObject({
        status: 400,
        detail: 'The request body is empty but Content-Type is application/json',
      });
      // Some clients send Content-Type: application/json on every request: a DELETE has no body.
      for (const type of ['application/json', 'application/merge-patch+json']) {
        const doomed = await call('POST', '/api/tags', { name: `doomed by ${type}` });
        const deleted = await call('DELETE', `/api/tags/${doomed.body.id}`, '', {
          'content-type': type,
        });
        expect({ type, status: deleted.status }).toEqual({ type, status: 204 });
      }
      // A DELETE that does carry a body gets it parsed as any other: refused, nothing deleted.
      const kept = await call('POST', '/api/tags', { name: 'kept despite a DELETE body' });
      for (const [method, path] of [
        ['POST', '/api/tasks'],
        ['PATCH', '/api/tasks/1'],
        ['PUT', '/api/tasks/1/tags'],
        ['POST', '/api/tags'],
        ['DELETE', `/api/tags/${kept.body.id}`],
      ]) {
        // `call` checks that the OpenAPI document lists the 415 for the route.
        const res = await call(method, path, 'title=x', { 'content-type': 'text/plain' });
        expect(res.status).toBe(415);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.detail).toBe('Content-Type must be application/json');
      }
      expect((await call('GET', `/api/tags/${kept.body.id}`)).status).toBe(200);
      const form = await call('POST', '/api/tags', 'name=x', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(form.status).toBe(415);
      const huge = await call('POST', '/api/tasks', {
        projectId: home,
        title: 'huge',
        notes: 'x'.repeat(70 * 1024),
      });
      expect(huge.status).toBe(413);
      expect(huge.body).toMatchObject({
        status: 413,
        title: 'Payload Too Large',
        detail: 'The request body is larger than the limit (64 KiB)',
      });
    });

    it('never answered 5xx nor leaked SQL, driver messages or stack traces', () => {
      const text = JSON.stringify(seen);
      expect(seen.filter((entry) => (entry as { status: number }).status >= 500)).toEqual([]);
      expect(text).not.toMatch(
        /SQLITE|violates|constraint failed|QueryFailed|\bat \w+ \(|SELECT |INSERT /,
      );
    });
  });
});

describe('both dialects', () => {
  it('returned identical JSON for the same requests (ids and timestamps aside)', () => {
    expect(transcripts.sqlite.length).toBeGreaterThan(100);
    expect(transcripts.postgres).toEqual(transcripts.sqlite);
  });
});
