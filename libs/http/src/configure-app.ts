import { RequestMethod } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { httpConfig } from '@app/config';
import { ProblemDetails } from './problem-details';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createRequestHook, requestIdOf } from './request-hook';
import { createValidationPipe } from './validation';

/** Largest accepted request body. Task metadata is capped at 16 KiB; this leaves room. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export function createFastifyAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: requestIdOf,
  });
  const fastify = adapter.getInstance();
  // Only JSON bodies are accepted: text/plain would otherwise parse as a string, and Nest
  // registers a form parser at init, so any other body type is refused before parsing (415).
  fastify.removeContentTypeParser('text/plain');
  fastify.addHook('onRequest', createRequestHook());
  return adapter;
}

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
      exposedHeaders: ['Location', 'Retry-After', 'X-Request-Id'],
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
