import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A client's X-Request-Id is kept when it is short and plain; otherwise a UUID is made. */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * OWASP REST Security Cheat Sheet's response headers for an API: no framing, no sniffing,
 * HTTPS only, and a policy that loads nothing should a response ever be opened as a page.
 */
export const API_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
} as const;

/** `application/json` and `application/<anything>+json`, parameters allowed. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** Fastify's `genReqId`: the client's X-Request-Id when it is plain, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * A 415 for a request with a body that is not JSON; undefined for anything else. A DELETE without
 * a body loses its Content-Type (some clients send `application/json` on every request): Fastify
 * would parse its empty body as JSON and refuse it. A GET's or HEAD's body is never read (Fastify
 * parses none; RFC 9110 gives it no meaning), so its type is no reason to refuse the request:
 * a malformed JSON one was answered 200 while a text one was a 415.
 */
function unsupportedMediaType(request: FastifyRequest): Error | undefined {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const { 'content-length': length, 'transfer-encoding': chunked } = request.headers;
  const hasBody = (length !== undefined && length !== '0') || chunked !== undefined;
  if (!hasBody && request.method === 'DELETE') delete request.headers['content-type'];
  if (!hasBody || JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) return undefined;
  return Object.assign(new Error('Unsupported Media Type'), {
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    statusCode: 415,
  });
}

/** The Swagger UI's page and assets (`/docs`, `/docs/…`), not the JSON document `/docs-json`. */
function isDocsPage(url: string): boolean {
  return url.startsWith('/docs') && (url.length === 5 || url[5] === '/' || url[5] === '?');
}

/**
 * The API's one `onRequest` hook: the request id and security headers first, so every answer
 * carries them (a 415 included), then the 415 for bodies that are not JSON. JSON responses get
 * the OWASP REST set (a browser never renders them as a page, so helmet's document-oriented
 * headers add bytes and nothing else); the Swagger UI under /docs, an HTML page, gets helmet's
 * full set, built once (the @fastify/helmet plugin rebuilds helmet and re-parses the CSP on
 * every request). A callback hook, not async: no promise per request on the hot path. The
 * benchmarks' raw baseline runs this same hook to price it on its own.
 */
export function createRequestHook() {
  const documentHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
        scriptSrc: [`'self'`, `https: 'unsafe-inline'`],
      },
    },
  });
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    reply.header('x-request-id', request.id);
    if (isDocsPage(request.url)) {
      return documentHeaders(request.raw, reply.raw, (error?: unknown) =>
        done((error as Error | undefined) ?? unsupportedMediaType(request)),
      );
    }
    reply.headers(API_SECURITY_HEADERS);
    done(unsupportedMediaType(request));
  };
}
