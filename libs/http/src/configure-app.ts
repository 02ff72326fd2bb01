import { RequestMethod } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { httpConfig } from '@app/config';
import { ProblemDetails } from './problem-details';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation';

/** Largest accepted request body. Task metadata is capped at 16 KiB; this leaves room. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** A client's X-Request-Id is kept when it is short and plain; otherwise a UUID is made. */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * OWASP REST Security Cheat Sheet's response headers for an API: no framing, no sniffing,
 * HTTPS only, and a policy that loads nothing should a response ever be opened as a page.
 */
const API_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
} as const;

/** `application/json` and `application/<anything>+json`, parameters allowed. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** A 415 for a request with a body that is not JSON; undefined for anything else. */
function unsupportedMediaType(request: FastifyRequest): Error | undefined {
  const { 'content-length': length, 'transfer-encoding': chunked } = request.headers;
  const hasBody = (length !== undefined && length !== '0') || chunked !== undefined;
  if (!hasBody || JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) return undefined;
  return Object.assign(new Error('Unsupported Media Type'), {
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    statusCode: 415,
  });
}

export function createFastifyAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const fastify = adapter.getInstance();
  // Only JSON bodies are accepted: text/plain would otherwise parse as a string, and Nest
  // registers a form parser at init, so any other body type is refused before parsing (415).
  fastify.removeContentTypeParser('text/plain');
  // Security headers. JSON responses get the OWASP REST set (a browser never renders them as a
  // page, so helmet's document-oriented headers add bytes and nothing else); the Swagger UI
  // under /docs, an HTML page, gets helmet's full set, built once (the @fastify/helmet plugin
  // rebuilds helmet and re-parses the CSP on every request).
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
  // One callback hook (not one per concern, not async: no promise per request on the hot
  // path). The request id and security headers come first, so every answer carries them,
  // a 415 included.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/docs')) {
      return documentHeaders(request.raw, reply.raw, (error?: unknown) =>
        done((error as Error | undefined) ?? unsupportedMediaType(request)),
      );
    }
    reply.headers(API_SECURITY_HEADERS);
    done(unsupportedMediaType(request));
  });
  return adapter;
}

/** Logs, CORS, prefix, validation, errors and OpenAPI: everything HTTP-shaped every app shares. */
export function configureApp(app: NestFastifyApplication): void {
  app.useLogger(app.get(Logger));
  const { corsOrigins } = app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY);
  if (corsOrigins.length > 0) {
    app.enableCors({
      origin: corsOrigins.includes('*') ? '*' : corsOrigins,
      exposedHeaders: ['Location', 'Retry-After', 'X-Request-Id'],
    });
  }
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.ALL },
      { path: 'health/live', method: RequestMethod.ALL },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const config = new DocumentBuilder()
    .setTitle('Tasks API')
    .setDescription('Projects, tasks and tags. Errors are application/problem+json (RFC 9457).')
    .setVersion('1')
    .build();
  // Built on the first request for it, not at start-up (it walks every route and DTO).
  const document = () =>
    SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetails] });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
