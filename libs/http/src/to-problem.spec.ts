import {
  BadRequestException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { CannotExecuteNotConnectedError, QueryFailedError } from 'typeorm';
import { isReadinessReport, toProblem } from './to-problem';
import { ValidationProblem } from './validation';

/** A pg server error: message and SQLSTATE, as pg's DatabaseError carries them. */
const serverError = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('toProblem: when the database is unavailable', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a pool with no free connection (pg-pool, no code)',
      new Error('timeout exceeded when trying to connect'),
    ],
    [
      'a query on a dropped connection',
      new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')),
    ],
    ['a dropped database (3D000)', serverError('database "app" does not exist', '3D000')],
    ['a data source not connected (TypeORM)', new CannotExecuteNotConnectedError()],
    ['a SQLite file locked by another writer', serverError('database is locked', 'SQLITE_BUSY')],
    [
      'a statement cancelled by statement_timeout (57014)',
      new QueryFailedError(
        'SELECT 1',
        [],
        serverError('canceling statement due to statement timeout', '57014'),
      ),
    ],
    [
      'a lock not granted within lock_timeout (55P03)',
      new QueryFailedError(
        'SELECT 1',
        [],
        serverError('canceling statement due to lock timeout', '55P03'),
      ),
    ],
  ])('answers 503 for %s', (_name, error) => {
    expect(toProblem(error).status).toBe(503);
  });

  // Each message says "timeout" or "not initialized": what the error is must decide, not the words.
  it.each([
    [
      'a TypeError in a handler',
      new TypeError("Cannot read properties of undefined (reading 'timeout')"),
    ],
    ['a thrown undefined', undefined],
    ['a RangeError in a handler', new RangeError('cache not initialized')],
    [
      'a PostgreSQL error quoting a value (22P02)',
      new QueryFailedError(
        'SELECT 1',
        [],
        serverError('invalid input syntax for type integer: "timeout"', '22P02'),
      ),
    ],
  ])('answers 500 for %s', (_name, error) => {
    expect(toProblem(error)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred',
    });
  });
});

describe('toProblem: client errors', () => {
  it('keeps the field errors of a validation problem', () => {
    const errors = [{ field: 'name', message: 'name must be a string' }];
    expect(toProblem(new ValidationProblem(errors))).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is invalid',
      errors,
    });
  });

  it('answers a Fastify body error in its own words, also when Nest hands it over as a cause', () => {
    const fastify = Object.assign(new Error('Unsupported Media Type: text/plain'), {
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      statusCode: 415,
    });
    const expected = {
      type: 'about:blank',
      title: 'Unsupported Media Type',
      status: 415,
      detail: 'Content-Type must be application/json',
    };
    expect(toProblem(fastify)).toEqual(expected);
    expect(toProblem(new HttpException(fastify.message, 415, { cause: fastify }))).toEqual(
      expected,
    );
    // A known code with no status is no client error.
    expect(toProblem({ code: 'FST_ERR_CTP_INVALID_JSON_BODY' }).status).toBe(500);
  });

  it('answers any other 4xx from Fastify with its status text, and 500 outside 400..499', () => {
    expect(toProblem(Object.assign(new Error('x'), { statusCode: 400 }))).toMatchObject({
      status: 400,
      detail: 'Bad Request',
    });
    expect(toProblem(Object.assign(new Error('x'), { statusCode: 499 }))).toMatchObject({
      status: 499,
      title: 'Error',
      detail: 'Bad request',
    });
    const unexpected = { status: 500, detail: 'An unexpected error occurred' };
    expect(toProblem(Object.assign(new Error('x'), { statusCode: 500 }))).toMatchObject(unexpected);
    expect(toProblem(Object.assign(new Error('x'), { statusCode: 399 }))).toMatchObject(unexpected);
  });

  it("gives an HttpException's own message, a list of them joined by '; '", () => {
    expect(toProblem(new NotFoundException('Task 5 not found'))).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Task 5 not found',
    });
    expect(toProblem(new HttpException('plain text', 418)).detail).toBe('plain text');
    expect(toProblem(new BadRequestException(['a is wrong', 'b is wrong'])).detail).toBe(
      'a is wrong; b is wrong',
    );
  });
});

describe('toProblem: database conflicts', () => {
  it('names the clashing field of a unique violation, without its Key suffix', () => {
    const pg = serverError('duplicate key', '23505');
    Object.assign(pg, { detail: 'Key ("nameKey")=(home) already exists.' });
    const message = 'name is already taken';
    expect(toProblem(new QueryFailedError('INSERT', [], pg))).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: message,
      errors: [{ field: 'name', message }],
    });
    const sqlite = serverError(
      'UNIQUE constraint failed: tags.nameKey',
      'SQLITE_CONSTRAINT_UNIQUE',
    );
    expect(toProblem(sqlite).errors).toEqual([{ field: 'name', message }]);
    expect(toProblem(serverError('duplicate key', '23505')).errors).toEqual([
      { field: 'value', message: 'value is already taken' },
    ]);
  });

  it('answers 409 for a missing referenced row, a deadlock and a serialization failure', () => {
    for (const [message, code] of [
      ['violates foreign key', '23503'],
      ['FOREIGN KEY constraint failed', 'SQLITE_CONSTRAINT_FOREIGNKEY'],
    ]) {
      expect(toProblem(serverError(message, code))).toMatchObject({
        status: 409,
        detail: 'The change refers to a resource that does not exist',
      });
    }
    for (const code of ['40P01', '40001']) {
      expect(toProblem(serverError('deadlock detected', code))).toMatchObject({
        status: 409,
        detail: 'The change collided with a concurrent change and was not made; send it again',
      });
    }
  });
});

describe('toProblem: a failed readiness report', () => {
  const report = {
    status: 'error',
    info: { memory: { status: 'up' } },
    error: { database: { status: 'down', message: 'timeout' }, migrations: { status: 'down' } },
    details: { memory: { status: 'up' }, database: { status: 'down', message: 'timeout' } },
  };

  it('says which checks failed, and keeps info, error and details as extensions', () => {
    const problem = toProblem(new ServiceUnavailableException(report));
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'Not ready: database: timeout; migrations: down',
      info: report.info,
      error: report.error,
      details: report.details,
    });
    expect(isReadinessReport(problem)).toBe(true);
  });

  it('is not a report unless its status is "error" with checks that failed', () => {
    for (const response of [
      { ...report, status: 'ok' },
      { ...report, error: {} },
    ]) {
      const problem = toProblem(new ServiceUnavailableException(response));
      expect(problem.detail).not.toMatch(/Not ready/);
      if (response.status === 'ok') expect(isReadinessReport(problem)).toBe(false);
    }
    expect(isReadinessReport(toProblem(new Error('boom')))).toBe(false);
  });
});
