import { RequestMethod } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetails } from './problem-details';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation';

/** Largest accepted request body. Task metadata is capped at 16 KiB; this leaves room. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** `application/json` and `application/<anything>+json`, parameters allowed. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

export function createFastifyAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
  // Only JSON bodies are accepted: text/plain would otherwise parse as a string, and Nest
  // registers a form parser at init, so any other body type is refused before parsing (415).
  adapter.getInstance().removeContentTypeParser('text/plain');
  // A callback hook, not an async one: no promise per request on the hot path.
  adapter.getInstance().addHook('onRequest', (request, _reply, done) => {
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
  return adapter;
}

/** Prefix, validation, errors and OpenAPI: everything HTTP-shaped that every app shares. */
export function configureApp(app: NestFastifyApplication): void {
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
