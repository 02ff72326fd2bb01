import { CannotExecuteNotConnectedError, QueryFailedError } from 'typeorm';
import { toProblem } from './to-problem';

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
