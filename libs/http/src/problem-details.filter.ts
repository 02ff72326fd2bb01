import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { startTime } from 'pino-http';
import { ProblemDetails } from './problem-details';
import { allowedMethods } from './allowed-methods';
import { isReadinessReport, problem, toProblem } from './to-problem';

/** The one exit for errors: every response that is not a success is problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = methodNotAllowed(reply) ?? toProblem(exception);
    // A failed readiness probe (Terminus's report) is no error of the request: ReadinessLog logs
    // readiness when it changes, not at every probe.
    if (body.status >= 500 && !isReadinessReport(body)) {
      this.logError(exception, body.status, reply);
    }
    void reply
      .status(body.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(JSON.stringify(body));
  }

  /**
   * One error line per failure. `err` goes through the logger's error serializer (type, message,
   * stack, no request data) and the line is scrubbed of secrets (LoggingModule); the client gets
   * the problem only.
   */
  private logError(exception: unknown, status: number, reply: FastifyReply): void {
    // pino-http times this response (LOG_LEVEL info or below, not a health route): its request
    // line, written at `error` for a 5xx, carries the error. Unless the client went away first:
    // then it has written its `request aborted` line already, which says nothing of the error.
    if (startTime in reply.raw && !reply.raw.destroyed) {
      reply.raw.err = exception as Error;
      return;
    }
    // No request line will be written (or it was, for a client gone): this line is the one it
    // would have been, field for field (the logger's serializers shape `req` and `res`), so what
    // reads the log reads both; the response time is up to now, the response about to be sent.
    const { raw } = reply.request;
    // For a client gone, pino-http's logger for this request (the one Nest's Logger writes to
    // here) carries `req` already: a second would be a duplicate key.
    const req = {
      id: reply.request.id,
      method: raw.method,
      url: raw.url,
      socket: raw.socket,
      headers: raw.headers,
    };
    this.logger.error({
      ...(startTime in reply.raw ? {} : { req }),
      res: { statusCode: status, headersSent: true },
      err: exception,
      responseTime: Math.round(reply.elapsedTime),
      msg: 'request errored',
    });
  }
}

/**
 * A request no route matched whose path a route serves with another method: 405 with `Allow`
 * (RFC 9110), not the 404 Nest's not-found handler throws, which reads as "no such task" for a
 * `PUT /api/tasks/1`.
 */
function methodNotAllowed(reply: FastifyReply): ProblemDetails | undefined {
  const { request } = reply;
  if (!request.is404) return undefined;
  const allowed = allowedMethods(reply.server, request.url);
  if (allowed.length === 0) return undefined;
  const allow = allowed.join(', ');
  void reply.header('allow', allow);
  const path = request.url.split('?')[0];
  return problem(405, `${request.method} is not allowed on ${path}; it allows ${allow}`);
}
