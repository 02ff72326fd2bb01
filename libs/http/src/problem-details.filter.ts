import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toProblem } from './to-problem';

/** The one exit for errors: every response that is not a success is problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = toProblem(exception);
    if (body.status >= 500) {
      const { name, message } = exception as Error;
      this.logger.error(`${body.status} ${name}: ${message}`);
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(body.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(JSON.stringify(body));
  }
}
