import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { classifyDatabaseError } from '@app/database';
import { ProblemDetails } from './problem-details';
import { ValidationProblem } from './validation';

/** Largest accepted request body. Task metadata is capped at 16 KiB; this leaves room. */
export const BODY_LIMIT_BYTES = 64 * 1024;

const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: `The request body is larger than the limit (${BODY_LIMIT_BYTES / 1024} KiB)`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but Content-Type is application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  // Ours (configure-app.ts): a JSON body whose bytes are not UTF-8.
  ERR_BODY_NOT_UTF8: 'The request body is not valid UTF-8',
};

export function problem(
  status: number,
  detail: string,
  errors?: ProblemDetails['errors'],
): ProblemDetails {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(errors && { errors }),
  };
}

/** Turns any thrown value into problem details that are safe to show a client. */
export function toProblem(exception: unknown): ProblemDetails {
  if (exception instanceof ValidationProblem) {
    return problem(400, 'The request is invalid', exception.errors);
  }
  // Before HttpException: Nest's Fastify adapter hands Fastify's own 4xx errors over as one,
  // with the original as its cause (and Fastify's text, which may name the wrong media type).
  const fastify = ((exception instanceof HttpException ? exception.cause : exception) ?? {}) as {
    code?: string;
    statusCode?: number;
  };
  if (fastify.code && fastify.code in FASTIFY_DETAILS && fastify.statusCode) {
    return problem(fastify.statusCode, FASTIFY_DETAILS[fastify.code]);
  }
  if (exception instanceof HttpException) {
    return {
      ...problem(exception.getStatus(), httpDetail(exception)),
      ...healthDetails(exception),
    };
  }
  const database = classifyDatabaseError(exception);
  if (database?.kind === 'unique') {
    const field = database.column?.replace(/Key$/, '') ?? 'value';
    const message = `${field} is already taken`;
    return problem(HttpStatus.CONFLICT, message, [{ field, message }]);
  }
  if (database?.kind === 'foreign-key') {
    return problem(HttpStatus.CONFLICT, 'The change refers to a resource that does not exist');
  }
  if (database?.kind === 'concurrent') {
    return problem(
      HttpStatus.CONFLICT,
      'The change collided with a concurrent change and was not made; send it again',
    );
  }
  if (database?.kind === 'unavailable') {
    return problem(
      HttpStatus.SERVICE_UNAVAILABLE,
      'The database is unavailable; try again shortly',
    );
  }
  if (
    typeof fastify.statusCode === 'number' &&
    fastify.statusCode >= 400 &&
    fastify.statusCode < 500
  ) {
    return problem(fastify.statusCode, STATUS_CODES[fastify.statusCode] ?? 'Bad request');
  }
  return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'An unexpected error occurred');
}

function httpDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string'
    ? message
    : (failedHealthChecks(response) ?? exception.message);
}

/** Terminus's 503 body (`{ status: 'error', error: { name: { status, message } } }`) as text. */
function failedHealthChecks(response: object): string | undefined {
  const { status, error } = response as {
    status?: string;
    error?: Record<string, { status?: string; message?: string }>;
  };
  if (status !== 'error' || !error || typeof error !== 'object') return undefined;
  const failures = Object.entries(error).map(
    ([name, check]) => `${name}: ${check.message ?? check.status ?? 'down'}`,
  );
  return failures.length > 0 ? `Not ready: ${failures.join('; ')}` : undefined;
}

/** Whether `problem` is Terminus's failed readiness report (see `healthDetails`). */
export function isReadinessReport(problem: ProblemDetails): boolean {
  return 'details' in problem;
}

/** Keeps Terminus's `info`, `error` and `details` as problem extensions, for probes and people. */
function healthDetails(
  exception: HttpException,
): Partial<Record<'info' | 'error' | 'details', unknown>> {
  const { status, info, error, details } = exception.getResponse() as Record<string, unknown>;
  return status === 'error' && details ? { info, error, details } : {};
}
