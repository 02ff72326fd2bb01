import { RequestMethod } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyBodyParser, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isUtf8 } from 'node:buffer';
import { Logger } from 'nestjs-pino';
import { httpConfig } from '@app/config';
import { ROUTE_METHODS } from './allowed-methods';
import { answerClientError } from './client-error';
import { ProblemDetails } from './problem-details';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createRequestHook, requestIdOf } from './request-hook';
import { BODY_LIMIT_BYTES, problem } from './to-problem';
import { createValidationPipe } from './validation';

/**
 * `application/<anything>+json` (JSON Merge Patch, JSON:API...), parameters allowed: parsed as
 * the JSON it is (the request hook lets these through as JSON; Fastify knew no parser for them).
 */
const STRUCTURED_JSON = /^application\/[\w.-]+\+json\s*(;|$)/i;

export function createFastifyAdapter(): FastifyAdapter {
  const requestHook = createRequestHook();
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: requestIdOf,
    frameworkErrors: answerRouterError(requestHook),
    clientErrorHandler: answerClientError,
  });
  const fastify = adapter.getInstance();
  // Only JSON bodies are accepted: text/plain would otherwise parse as a string, and Nest
  // registers a form parser at init, so any other body type is refused before parsing (415).
  fastify.removeContentTypeParser('text/plain');
  const parseJson = utf8Only(fastify.getDefaultJsonParser('error', 'error'));
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, parseJson);
  fastify.addContentTypeParser(STRUCTURED_JSON, { parseAs: 'buffer' }, parseJson);
  fastify.addHook('onRequest', requestHook);
  return adapter;
}

/**
 * JSON is UTF-8 (RFC 8259), whatever charset a Content-Type names. Fastify decodes a body as
 * UTF-8 with every invalid byte turned into U+FFFD, so a Latin-1 client's `"Café"` would be
 * stored as `"Caf\uFFFD"`, silently; such a body is refused instead (400).
 */
function utf8Only(parse: FastifyBodyParser<string>): FastifyBodyParser<Buffer> {
  return (request, body, done) => {
    if (!isUtf8(body)) {
      const error = Object.assign(new Error('The request body is not valid UTF-8'), {
        code: 'ERR_BODY_NOT_UTF8',
        statusCode: 400,
      });
      return done(error, undefined);
    }
    return parse(request, body.toString('utf8'), done);
  };
}

const ROUTER_ERRORS: Record<string, ProblemDetails> = {
  FST_ERR_BAD_URL: problem(400, 'The URL is not valid'),
  FST_ERR_MAX_PARAM_LENGTH: problem(400, 'A path parameter is too long'),
};

/**
 * Fastify's router refuses a URL that does not decode (`%FF`) or a path parameter over 100
 * characters itself, before any hook, with its own JSON (a 414 for the latter). Answered here as
 * every other error: problem+json with the request id and security headers (the request
 * hook's), and a 400, as for any other id that is not a valid id.
 */
function answerRouterError(requestHook: ReturnType<typeof createRequestHook>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const body = ROUTER_ERRORS[error.code] ?? problem(500, 'An unexpected error occurred');
    requestHook(request, reply, () => {
      void reply
        .status(body.status)
        .header('content-type', 'application/problem+json; charset=utf-8')
        .send(JSON.stringify(body));
    });
  };
}

/** Every method the API answers: its routes' and CORS's preflight. */
const CORS_METHODS = [...ROUTE_METHODS, 'OPTIONS'];

/** Response headers a browser script may read besides the CORS-safelisted ones. */
const CORS_EXPOSED_HEADERS = [
  'Location',
  'Retry-After',
  'X-Request-Id',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];

/**
 * Logs, CORS, prefix, validation, errors and OpenAPI: everything HTTP-shaped every app shares.
 * `extraPaths` documents routes served outside Nest's controllers.
 */
export function configureApp(
  app: NestFastifyApplication,
  extraPaths: OpenAPIObject['paths'] = {},
): void {
  app.useLogger(app.get(Logger));
  const { corsOrigins } = app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY);
  if (corsOrigins.length > 0) {
    app.enableCors({
      origin: corsOrigins.includes('*') ? '*' : corsOrigins,
      // @fastify/cors allows GET, HEAD and POST by default: a browser's PATCH, PUT or DELETE
      // would fail its preflight.
      methods: CORS_METHODS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
    });
  }
  app.setGlobalPrefix('api', {
    exclude: [{ path: 'health', method: RequestMethod.ALL }],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const config = new DocumentBuilder()
    .setTitle('Tasks API')
    .setDescription('Projects, tasks and tags. Errors are application/problem+json (RFC 9457).')
    .setVersion('1')
    .build();
  // Built on the first request for it, not at start-up (it walks every route and DTO).
  const document = () => {
    const created = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetails] });
    return { ...created, paths: { ...created.paths, ...extraPaths } };
  };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
