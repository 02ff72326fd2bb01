import { connect } from 'node:net';
import { freshDatabaseEnv, startApi, TestApi } from '../../../tools/testing/test-api';

/** What the server answers to `raw` bytes on a new connection, until it closes it. */
function rawExchange(baseUrl: string, raw: Buffer): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('HTTP hardening (SQLite)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({
      ...(await freshDatabaseEnv('sqlite')),
      RATE_LIMIT_MAX: '5',
      RATE_LIMIT_WINDOW_MS: '60000',
    });
  });
  afterAll(() => api.close());

  it('returns the client X-Request-Id, or makes one up when absent or unsafe', async () => {
    const given = await api.request('GET', '/health/live', undefined, {
      'x-request-id': 'abc-123',
    });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await api.request('GET', '/health/live');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await api.request('GET', '/health/live', undefined, {
      'x-request-id': 'a b"<script>',
    });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // 1 to 128 characters (README): the longest is kept, one more is replaced.
    const longest = 'a:b.c_d-'.repeat(16);
    const kept = await api.request('GET', '/health/live', undefined, { 'x-request-id': longest });
    expect(kept.headers.get('x-request-id')).toBe(longest);
    const tooLong = await api.request('GET', '/health/live', undefined, {
      'x-request-id': `${longest}x`,
    });
    expect(tooLong.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('tells caches never to keep a probe answer (both probes are documented in OpenAPI)', async () => {
    for (const path of ['/health/live', '/health']) {
      // request() also checks the answer against the OpenAPI document.
      const res = await api.request('GET', path);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
    }
  });

  it('sends security headers on API responses and keeps the Swagger UI working', async () => {
    // (API routes count against this suite's rate limit; a 404 shows errors get them too.)
    for (const path of ['/health/live', '/health', '/api/no-such-route']) {
      const res = await fetch(`${api.baseUrl}${path}`);
      // The OWASP REST set, all six (README, Operations: Limits).
      expect({
        path,
        csp: res.headers.get('content-security-policy'),
        hsts: res.headers.get('strict-transport-security'),
        nosniff: res.headers.get('x-content-type-options'),
        frames: res.headers.get('x-frame-options'),
        corp: res.headers.get('cross-origin-resource-policy'),
        referrer: res.headers.get('referrer-policy'),
      }).toEqual({
        path,
        csp: "default-src 'none'; frame-ancestors 'none'",
        hsts: 'max-age=31536000; includeSubDomains',
        nosniff: 'nosniff',
        frames: 'DENY',
        corp: 'same-origin',
        referrer: 'no-referrer',
      });
    }
    // Refused before routing (415): still with the request id and the same headers.
    const refused = await fetch(`${api.baseUrl}/api/projects`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-request-id': 'refused-1' },
      body: 'x',
    });
    expect(refused.status).toBe(415);
    expect(refused.headers.get('x-request-id')).toBe('refused-1');
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    // The HTML Swagger UI gets helmet's document policy, which lets it load its own assets.
    const docs = await fetch(`${api.baseUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(docs.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(await docs.text()).toContain('swagger-ui');
    expect((await fetch(`${api.baseUrl}/docs/swagger-ui-init.js`)).status).toBe(200);
    // The OpenAPI document is JSON, not a page: the REST set.
    const document = await fetch(`${api.baseUrl}/docs-json`);
    expect(document.status).toBe(200);
    expect(document.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(document.headers.get('x-frame-options')).toBe('DENY');
  });

  it('answers a request Node cannot parse as HTTP with problem+json and the same headers', async () => {
    const cases: [Buffer, number, string][] = [
      // Raw UTF-8 in the query string (a client that did not percent-encode it).
      [
        Buffer.from('GET /api/tags?q=\u00df HTTP/1.1\r\nHost: x\r\n\r\n'),
        400,
        'The request is not valid HTTP',
      ],
      [
        Buffer.from(`GET /api/tags HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
        431,
        'The request headers are too large',
      ],
    ];
    for (const [raw, status, detail] of cases) {
      const answer = await rawExchange(api.baseUrl, raw);
      const [head, body] = answer.split('\r\n\r\n');
      const headers = head.toLowerCase();
      expect(head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(headers).toContain('content-type: application/problem+json; charset=utf-8');
      expect(headers).toMatch(/\r\nx-request-id: [0-9a-f-]{36}\r\n/);
      expect(headers).toContain(
        `content-security-policy: default-src 'none'; frame-ancestors 'none'`,
      );
      expect(headers).toContain('x-content-type-options: nosniff');
      expect(JSON.parse(body)).toEqual({
        type: 'about:blank',
        title: expect.any(String),
        status,
        detail,
      });
    }
  });

  it('answers a method a path does not serve with 405 and Allow, OPTIONS too when CORS is off', async () => {
    const res = await api.request('OPTIONS', '/api/tasks', undefined, {}, { validate: false });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends no CORS headers when CORS_ORIGINS is empty', async () => {
    const res = await api.request('GET', '/health/live', undefined, {
      origin: 'https://evil.example',
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 429 problem+json with Retry-After over the limit; health stays exempt', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<TestApi['request']>> | undefined;
    for (let i = 0; i < 7; i++) {
      const res = await api.request('GET', '/api/projects');
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 5).every((s) => s === 200)).toBe(true);
    expect(limited?.headers.get('content-type')).toContain('application/problem+json');
    expect(limited?.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    // The window is RATE_LIMIT_WINDOW_MS (60 s) from the first request, a moment ago: Retry-After
    // says about that many seconds, neither a 60 ms nor a 60 000 s window.
    const retryAfter = Number(limited?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    for (let i = 0; i < 10; i++) {
      expect((await api.request('GET', '/health')).status).toBe(200);
      expect((await api.request('GET', '/health/live')).status).toBe(200);
    }
  });
});

describe('rate limit: one budget per client across all routes', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({
      ...(await freshDatabaseEnv('sqlite')),
      RATE_LIMIT_MAX: '4',
      RATE_LIMIT_WINDOW_MS: '60000',
    });
  });
  afterAll(() => api.close());

  it('counts requests to different routes against the same budget', async () => {
    const remaining: (string | null)[] = [];
    for (const path of ['/api/projects', '/api/tags', '/api/projects', '/api/tags']) {
      const res = await api.request('GET', path);
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    // Spent on two routes: a third one, and a write, are refused too.
    expect((await api.request('GET', '/api/tasks')).status).toBe(429);
    expect((await api.request('POST', '/api/projects', { name: 'over budget' })).status).toBe(429);
  });
});

describe('CORS with CORS_ORIGINS set', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({
      ...(await freshDatabaseEnv('sqlite')),
      CORS_ORIGINS: 'https://app.example.com, https://admin.example.com',
      RATE_LIMIT_MAX: '100',
    });
  });
  afterAll(() => api.close());

  it('allows every method the API uses in a preflight (PATCH, PUT and DELETE included)', async () => {
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      const preflight = await fetch(`${api.baseUrl}/api/tasks/1`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://admin.example.com',
          'access-control-request-method': method,
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(
        'https://admin.example.com',
      );
      const allowed = preflight.headers.get('access-control-allow-methods')?.split(/,\s*/);
      expect(allowed).toEqual(expect.arrayContaining([method]));
      expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    }
  });

  it('answers a method a path does not serve with 405 and Allow; an unknown path stays 404', async () => {
    const project = await api.request('POST', '/api/projects', { name: 'methods' });
    const task = await api.request('POST', '/api/tasks', {
      projectId: project.body.id,
      title: 't',
    });
    const path = `/api/tasks/${task.body.id}`;
    const cases: [string, string, string][] = [
      // PUT replaces a task's tags, not the task: a 404 here read as "no such task".
      ['PUT', path, 'GET, HEAD, PATCH, DELETE'],
      ['DELETE', '/api/tasks', 'GET, HEAD, POST'],
      ['POST', `${path}/tags?x=1`, 'PUT'],
      ['POST', '/health/live', 'GET, HEAD'],
      ['DELETE', '/health', 'GET, HEAD'],
    ];
    for (const [method, url, allow] of cases) {
      const res = await api.request(method, url, { title: 'x' }, {}, { validate: false });
      expect({ method, url, status: res.status, allow: res.headers.get('allow') }).toEqual({
        method,
        url,
        status: 405,
        allow,
      });
      expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Method Not Allowed',
        status: 405,
        detail: `${method} is not allowed on ${url.split('?')[0]}; it allows ${allow}`,
      });
    }
    expect((await api.request('GET', path)).body.title).toBe('t');
    // CORS answers OPTIONS on every path: that makes no unknown path a 405.
    for (const method of ['GET', 'POST', 'DELETE']) {
      const unknown = await api.request(
        method,
        '/api/no-such-route',
        undefined,
        {},
        {
          validate: false,
        },
      );
      expect({ method, status: unknown.status, allow: unknown.headers.get('allow') }).toEqual({
        method,
        status: 404,
        allow: null,
      });
    }
  });

  it('lets browser scripts read Location, the request id and the rate-limit headers', async () => {
    const res = await api.request('GET', '/api/projects', undefined, {
      origin: 'https://app.example.com',
    });
    expect(res.status).toBe(200);
    const exposed = res.headers.get('access-control-expose-headers')?.toLowerCase().split(/,\s*/);
    const readable = ['location', 'retry-after', 'x-request-id'];
    const rateLimit = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];
    expect(exposed?.sort()).toEqual([...readable, ...rateLimit].sort());
    // The rate-limit headers it exposes are the ones this response carries.
    for (const name of rateLimit) expect(res.headers.get(name)).toMatch(/^\d+$/);
  });

  it('allows listed origins only', async () => {
    const allowed = await api.request('GET', '/api/projects', undefined, {
      origin: 'https://app.example.com',
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await api.request('GET', '/api/projects', undefined, {
      origin: 'https://evil.example',
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS with CORS_ORIGINS=*', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ ...(await freshDatabaseEnv('sqlite')), CORS_ORIGINS: '*' });
  });
  afterAll(() => api.close());

  it('allows any origin, in requests and preflights', async () => {
    const res = await api.request('GET', '/api/projects', undefined, {
      origin: 'https://anywhere.example',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${api.baseUrl}/api/tasks/1`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://elsewhere.example',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')?.split(/,\s*/)).toContain('PATCH');
  });
});

describe('production error responses', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ ...(await freshDatabaseEnv('sqlite')), NODE_ENV: 'production' });
  });
  afterAll(() => api.close());

  it('carry no stack trace, driver message or internal path', async () => {
    const bodies = [
      await api.request('POST', '/api/projects', '{"name":', {
        'content-type': 'application/json',
      }),
      await api.request('POST', '/api/projects', { name: 'x'.repeat(500) }),
      await api.request('GET', '/api/projects/abc'),
      await api.request('GET', '/api/projects/99999'),
      await api.request('GET', '/api/nope', undefined, {}, { validate: false }),
      await api.request('POST', '/api/projects', 'x', { 'content-type': 'text/plain' }),
    ].map((res) => JSON.stringify(res.body));
    for (const body of bodies) {
      expect(body).not.toMatch(/\bat \S+ \(|node_modules|\/work\/|SQLITE_|Error:|QueryFailed/);
    }
  });
});
