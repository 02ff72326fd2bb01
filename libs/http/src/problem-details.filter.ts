import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { isReadinessReport, toProblem } from './to-problem';

/** The one exit for errors: every response that is not a success is problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = toProblem(exception);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // A failed readiness probe (Terminus's report) is no error of the request: ReadinessLog logs
    // readiness when it changes, not at every probe.
    if (body.status >= 500 && !isReadinessReport(body)) {
      const { name, message } = (exception ?? {}) as Partial<Error>;
      // The request id by name: above LOG_LEVEL=info no request context is attached to lines.
      // `err` goes through pino's error serializer (type, message, stack); the log line is
      // scrubbed of secrets like any other (LoggingModule). The client gets `body` only.
      this.logger.error({
        requestId: reply.request.id,
        err: exception,
        msg: `${body.status} ${name}: ${message}`,
      });
    }
    void reply
      .status(body.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(JSON.stringify(body));
  }
}
