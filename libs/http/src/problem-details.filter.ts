import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toProblem } from './to-problem';

/** Terminus' 503 report (`{ status, info, error, details }`) keeps its own shape for probes. */
function healthReport(exception: unknown): string | undefined {
  if (!(exception instanceof ServiceUnavailableException)) return undefined;
  const response = exception.getResponse() as { details?: unknown };
  return typeof response === 'object' && response.details ? JSON.stringify(response) : undefined;
}

/** The one exit for errors: every response that is not a success is problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const health = healthReport(exception);
    if (health) {
      void reply.status(503).header('content-type', 'application/json; charset=utf-8').send(health);
      return;
    }
    const body = toProblem(exception);
    if (body.status >= 500) {
      const { name, message } = exception as Error;
      this.logger.error(`${body.status} ${name}: ${message}`);
    }
    void reply
      .status(body.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(JSON.stringify(body));
  }
}
