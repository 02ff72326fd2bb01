import {
  DIALECTS,
  Dialect,
  freshDatabaseEnv,
  recordingRequests,
  startApi,
  TestApi,
} from '../../../tools/testing/test-api';

// Length limits count Unicode code points, as PostgreSQL's varchar(n) does, and the case-folded
// keys beside names and titles may be longer than the text itself (NFKC, then lower case).
const LIGATURE = '\uFDFA'; // one code point; NFKC expands it to 18
const DOTTED_I = '\u0130'; // lower-cased: i + combining dot above (two code points)
const HEART = '\u2764\uFE0F'; // red heart with VS16: two code points, one for class-validator
const GRINNING = '\u{1F600}'; // one code point, two UTF-16 units
const E_ACUTE = 'e\u0301'; // e + combining acute accent: two code points

const transcripts: Record<string, unknown[]> = {};
const IDS = /(projects\/|tasks\/|tags\/|Project |Task |Tag |project |projectId=)\d+/g;

describe.each(DIALECTS)('Unicode names and titles on %s', (dialect: Dialect) => {
  let api: TestApi;
  const seen: unknown[] = (transcripts[dialect] = []);
  const call = recordingRequests(() => api, seen, IDS);
  let project: number;

  /** POSTs `body` and, when created, checks the name or title reads back unchanged. */
  const create = async (resource: string, body: Record<string, unknown>) => {
    const res = await call('POST', `/api/${resource}`, body);
    if (res.status === 201) {
      const text = body.name ?? body.title;
      expect(res.body.name ?? res.body.title).toBe(text);
      const read = await call('GET', `/api/${resource}/${res.body.id}`);
      expect(read.body).toEqual(res.body);
    }
    return res;
  };
  const expectStatus = async (
    resource: string,
    body: Record<string, unknown>,
    status: number,
    field?: string,
  ) => {
    const res = await create(resource, body);
    expect({ body, status: res.status }).toEqual({ body, status });
    if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    return res;
  };

  beforeAll(async () => {
    api = await startApi(await freshDatabaseEnv(dialect));
    project = (await call('POST', '/api/projects', { name: 'Unicode' })).body.id;
  });
  afterAll(() => api.close());

  it('stores tag names whose case-folded key is longer than the name', async () => {
    await expectStatus('tags', { name: LIGATURE.repeat(3) }, 201);
    await expectStatus('tags', { name: DOTTED_I.repeat(40) }, 201);
    await expectStatus('tags', { name: LIGATURE.repeat(40) }, 201);
    // The same keys: unique case-insensitively, and found by search and by name.
    await expectStatus('tags', { name: LIGATURE.repeat(3) }, 409, 'name');
    await expectStatus('tags', { name: DOTTED_I.repeat(40) }, 409, 'name');
    const search = await call('GET', `/api/tags?q=${encodeURIComponent(LIGATURE)}`);
    expect(search.body.total).toBe(2);
  });

  it('bounds tag names in code points: emoji with VS16, surrogate pairs, combining marks', async () => {
    await expectStatus('tags', { name: HEART.repeat(20) }, 201);
    await expectStatus('tags', { name: HEART.repeat(21) }, 400, 'name');
    await expectStatus('tags', { name: HEART.repeat(40) }, 400, 'name');
    await expectStatus('tags', { name: GRINNING.repeat(40) }, 201);
    await expectStatus('tags', { name: GRINNING.repeat(41) }, 400, 'name');
    const accents = await expectStatus('tags', { name: E_ACUTE.repeat(20) }, 201);
    await expectStatus('tags', { name: `${E_ACUTE.repeat(20)}e` }, 400, 'name');
    const tag = accents.body.id;
    const renamed = await call('PATCH', `/api/tags/${tag}`, { name: HEART.repeat(21) });
    expect(renamed.status).toBe(400);
    const ok = await call('PATCH', `/api/tags/${tag}`, { name: `${DOTTED_I.repeat(39)}!` });
    expect(ok.status).toBe(200);
    expect(ok.body.name).toBe(`${DOTTED_I.repeat(39)}!`);
  });

  it('stores project names whose key is longer than the name, bounded in code points', async () => {
    await expectStatus('projects', { name: LIGATURE.repeat(7) }, 201);
    await expectStatus('projects', { name: DOTTED_I.repeat(120) }, 201);
    await expectStatus('projects', { name: HEART.repeat(60) }, 201);
    await expectStatus('projects', { name: HEART.repeat(61) }, 400, 'name');
    await expectStatus('projects', { name: LIGATURE.repeat(7) }, 409, 'name');
    // A key of 3 KB (U+3300.. expand to katakana words): past PostgreSQL's 2704 bytes for an
    // uncompressed btree entry (it compresses them).
    const widest = Array.from(
      { length: 40 },
      (_, i) => LIGATURE.repeat(2) + String.fromCodePoint(0x3300 + i),
    );
    await expectStatus('projects', { name: widest.join('') }, 201);
    const patched = await call('PATCH', `/api/projects/${project}`, { name: LIGATURE.repeat(120) });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe(LIGATURE.repeat(120));
    const tooLong = await call('PATCH', `/api/projects/${project}`, { name: HEART.repeat(61) });
    expect(tooLong.status).toBe(400);
  });

  it('bounds task titles and tag names in code points', async () => {
    await expectStatus('tasks', { projectId: project, title: HEART.repeat(100) }, 201);
    await expectStatus('tasks', { projectId: project, title: GRINNING.repeat(200) }, 201);
    await expectStatus('tasks', { projectId: project, title: HEART.repeat(101) }, 400, 'title');
    await expectStatus('tasks', { projectId: project, title: HEART.repeat(200) }, 400, 'title');
    await expectStatus(
      'tasks',
      { projectId: project, title: 'tagged', tags: [HEART.repeat(21)] },
      400,
      'tags',
    );
    const tagged = await expectStatus(
      'tasks',
      { projectId: project, title: 'tagged', tags: [LIGATURE.repeat(3), HEART.repeat(20)] },
      201,
    );
    expect([...tagged.body.tags].sort()).toEqual([LIGATURE.repeat(3), HEART.repeat(20)].sort());
    const path = `/api/tasks/${tagged.body.id}`;
    expect((await call('PATCH', path, { title: HEART.repeat(101) })).status).toBe(400);
    expect((await call('PATCH', path, { title: HEART.repeat(100) })).status).toBe(200);
    expect((await call('PUT', `${path}/tags`, { tags: [HEART.repeat(21)] })).status).toBe(400);
    const replaced = await call('PUT', `${path}/tags`, { tags: [LIGATURE.repeat(40)] });
    expect(replaced.status).toBe(200);
    const byTag = await call('GET', `/api/tasks?tag=${encodeURIComponent(LIGATURE.repeat(40))}`);
    expect(byTag.body.items.map((t: { id: number }) => t.id)).toEqual([tagged.body.id]);
    const tooLongTag = await call('GET', `/api/tasks?tag=${encodeURIComponent(HEART.repeat(21))}`);
    expect(tooLongTag.status).toBe(400);
  });

  it('bounds task notes and project descriptions at 10 000 code points', async () => {
    const task = { projectId: project, title: 'long notes' };
    await expectStatus('tasks', { ...task, notes: GRINNING.repeat(10_000) }, 201);
    await expectStatus('tasks', { ...task, notes: GRINNING.repeat(10_001) }, 400, 'notes');
    await expectStatus('projects', { name: 'long', description: HEART.repeat(5_000) }, 201);
    await expectStatus(
      'projects',
      { name: 'too long', description: `${HEART.repeat(5_000)}x` },
      400,
      'description',
    );
  });

  it('never answered 5xx', () => {
    expect(seen.filter((entry) => (entry as { status: number }).status >= 500)).toEqual([]);
  });
});

describe('both dialects', () => {
  it('returned identical JSON for the same requests (ids aside)', () => {
    expect(transcripts.sqlite.length).toBeGreaterThan(40);
    expect(transcripts.postgres).toEqual(transcripts.sqlite);
  });
});
