import { RequestMethod } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
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

/** `application/json` and `application/<anything>+json`, parameters allowed. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

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
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // Only JSON bodies are accepted: text/plain would otherwise parse as a string, and Nest
  // registers a form parser at init, so any other body type is refused before parsing (415).
  fastify.removeContentTypeParser('text/plain');
  // A callback hook, not an async one: no promise per request on the hot path.
  fastify.addHook('onRequest', (request, _reply, done) => {
    const { 'content-length': length, 'transfer-encoding': chunked } = request.headers;
    const hasBody = (length !== undefined && length !== '0') || chunked !== undefined;
    if (hasBody && !JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) {
      const error = Object.assign(new Error('Unsupported Media Type'), {
        code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        statusCode: 415,
      });
      return done(error);
    }
    done();
  });
  // Security headers from helmet, built once (the @fastify/helmet plugin rebuilds helmet and
  // re-parses the CSP on every request). The Swagger UI at /docs needs inline styles and data:
  // images; API responses are JSON.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
        scriptSrc: [`'self'`, `https: 'unsafe-inline'`],
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
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
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetails] });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
