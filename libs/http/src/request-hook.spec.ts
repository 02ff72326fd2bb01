import Fastify, { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { API_SECURITY_HEADERS, createRequestHook, requestIdOf } from './request-hook';

/** The OWASP REST set, spelled out (README, Operations: Limits). */
const REST_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdOf', () => {
  const idOf = (value?: string | string[]) =>
    requestIdOf({ headers: { 'x-request-id': value } } as unknown as IncomingMessage);

  it("keeps a client's plain id of 1 to 128 letters, digits and . : _ -", () => {
    const longest = 'a:b.c_d-'.repeat(16);
    expect(idOf('abc-123')).toBe('abc-123');
    expect(idOf('x')).toBe('x');
    expect(idOf(longest)).toBe(longest);
  });

  it('makes a UUID for no id, an empty or longer one, other characters or a repeated header', () => {
    for (const value of [undefined, '', `${'a'.repeat(128)}x`, 'a b', 'a/b', 'ok\n', ['a', 'b']]) {
      expect({ value, id: idOf(value) }).toEqual({ value, id: expect.stringMatching(UUID) });
    }
  });
});

describe('createRequestHook', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify({ genReqId: requestIdOf, requestIdHeader: false });
    // Every type parses here, so that what is refused is refused by the hook.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    // As in the app, Fastify's JSON parser, which refuses an empty body.
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'string' },
      app.getDefaultJsonParser('error', 'error'),
    );
    app.addHook('onRequest', createRequestHook());
    for (const url of ['/api/items', '/docs', '/docs/app.js', '/docs-json', '/docsx']) {
      app.all(url, async (request) => ({ body: request.body ?? null }));
    }
    await app.ready();
  });
  afterAll(() => app.close());

  const send = (method: string, url: string, headers: Record<string, string> = {}, body?: string) =>
    app.inject({ method: method as 'GET', url, headers, payload: body });

  it('exports the OWASP REST set, for answers given outside the hook', () => {
    expect(API_SECURITY_HEADERS).toEqual(REST_HEADERS);
  });

  it('gives JSON responses the request id and the OWASP REST headers', async () => {
    const res = await send('GET', '/api/items', { 'x-request-id': 'abc-1' });
    expect(res.headers['x-request-id']).toBe('abc-1');
    expect(res.headers).toMatchObject(REST_HEADERS);
    for (const url of ['/docs-json', '/docsx']) {
      expect((await send('GET', url)).headers).toMatchObject(REST_HEADERS);
    }
  });

  it("gives the Swagger UI's pages helmet's document headers", async () => {
    for (const url of ['/docs', '/docs/app.js', '/docs?x=1']) {
      const res = await send('GET', url);
      expect({ url, frames: res.headers['x-frame-options'] }).toEqual({
        url,
        frames: 'SAMEORIGIN',
      });
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-request-id']).toEqual(expect.stringMatching(UUID));
    }
  });

  it('refuses a body that is not JSON with a 415, which still carries the headers', async () => {
    for (const [method, url] of [
      ['POST', '/api/items'],
      ['DELETE', '/api/items'],
      ['POST', '/docs'],
    ]) {
      const res = await send(
        method,
        url,
        { 'content-type': 'text/plain', 'x-request-id': 'r-1' },
        'x',
      );
      expect({ method, url, status: res.statusCode }).toEqual({ method, url, status: 415 });
      expect(res.headers['x-request-id']).toBe('r-1');
    }
    const chunked = await send('POST', '/api/items', {
      'content-type': 'text/plain',
      'transfer-encoding': 'chunked',
    });
    expect(chunked.statusCode).toBe(415);
    expect((await send('POST', '/api/items', {}, 'x')).statusCode).toBe(415);
  });

  it('takes application/json and application/*+json, parameters allowed, and nothing similar', async () => {
    for (const type of [
      'application/json',
      'Application/JSON; charset=utf-8',
      'application/json ;charset=utf-8',
      'application/merge-patch+json',
      'application/vnd.api+json; charset=utf-8',
    ]) {
      const res = await send('POST', '/api/items', { 'content-type': type }, '{"a":1}');
      expect({ type, status: res.statusCode }).toEqual({ type, status: 200 });
    }
    for (const type of [
      'application/jsonp',
      'application/json-seq',
      'text/application/json',
      'application/+json',
      'application/a b+json',
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; x=application/json',
    ]) {
      const res = await send('POST', '/api/items', { 'content-type': type }, '{"a":1}');
      expect({ type, status: res.statusCode }).toEqual({ type, status: 415 });
    }
  });

  it("reads no GET's or HEAD's type, nor a bodiless request's; a bodiless DELETE loses its type", async () => {
    const text = { 'content-type': 'text/plain' };
    expect((await send('GET', '/api/items', text, 'x')).statusCode).toBe(200);
    expect((await send('HEAD', '/api/items', text, 'x')).statusCode).toBe(200);
    // An empty POST with no type is no body to refuse.
    expect((await send('POST', '/api/items', { 'content-length': '0' })).statusCode).toBe(200);
    // Fastify would parse the empty body as JSON and refuse it: it reaches the route with none.
    const json = { 'content-type': 'application/json' };
    expect((await send('DELETE', '/api/items', json)).json()).toEqual({ body: null });
    expect((await send('POST', '/api/items', json)).statusCode).toBe(400);
  });
});
