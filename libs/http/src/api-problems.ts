import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (body, query or id)',
  404: 'No such resource',
  409: 'Conflicts with an existing resource, or collided with a concurrent change',
  413: 'Request body too large',
  415: 'A request body that is not JSON (application/json or application/*+json)',
  429: 'Too many requests (rate limit); retry after Retry-After seconds',
  500: 'An unexpected error (logged with the request id, never described here)',
  503: 'Database unavailable',
};

/**
 * Documents the problem+json error responses a route can return. Every route can answer 429, 500
 * (the filter's answer to any error it does not know) and 503; a route whose body is read, a
 * DELETE's included (parsed before routing), also 413 and 415: pass them. A GET's body is never
 * read, so a GET gives neither.
 */
export function ApiProblems(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...[...new Set([...statuses, 429, 500, 503])].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
        },
      }),
    ),
  );
}
