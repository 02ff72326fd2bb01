import {
  CannotGetEntityManagerNotConnectedError,
  ConnectionIsNotSetError,
  DataTypeNotSupportedError,
  QueryFailedError,
} from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import {
  isDatabaseUnavailableError,
  isTransientConnectionError,
  postgresTargetOf,
  withConnectionTarget,
} from './connection-errors';

const refused = () =>
  Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:5432')], ''), {
    code: 'ECONNREFUSED',
  });

/** A pg server error: message and SQLSTATE, as pg's DatabaseError carries them. */
const serverError = (message: string, code: string) => Object.assign(new Error(message), { code });

/** A Node network error: its errno name as `code`, as net and dns set it. */
const networkError = (code: string) =>
  Object.assign(new Error(`connect ${code} db:5432`), { code });

describe('isTransientConnectionError', () => {
  it.each([
    ['a refused connection', refused()],
    ['a server still starting (57P03)', serverError('the database system is starting up', '57P03')],
    ['a connect timeout (pg, no code)', new Error('timeout expired')],
    [
      'a pool timeout (pg-pool, no code)',
      new Error('Connection terminated due to connection timeout'),
    ],
    ['a dropped connection (pg, no code)', new Error('Connection terminated unexpectedly')],
    [
      'a query that failed on a dropped connection',
      new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')),
    ],
    ['a query timeout (pg, no code)', new Error('Query read timeout')],
    [
      'a query on a client whose connection failed (pg, no code)',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    [
      'a query on a closed client (pg, no code)',
      new Error('Client was closed and is not queryable'),
    ],
  ])('retries %s', (_name, error) => {
    expect(isTransientConnectionError(error)).toBe(true);
  });

  // A host not resolvable yet (a Compose service starting), a network not up yet, a reset.
  it.each([
    'ECONNRESET',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EPIPE',
  ])('retries a network failure: %s', (code) => {
    expect(isTransientConnectionError(networkError(code))).toBe(true);
  });

  // A socket folder whose server has not started yet (a Cloud SQL proxy sidecar) has no socket
  // file: ENOENT from connect. ENOENT from anything else (a missing sslrootcert file) is final.
  it('retries a socket file that is not there yet, and nothing else missing', () => {
    const noSocket = Object.assign(new Error('connect ENOENT /cloudsql/x/.s.PGSQL.5432'), {
      code: 'ENOENT',
      syscall: 'connect',
    });
    const noFile = Object.assign(new Error("ENOENT: no such file or directory, open 'ca.pem'"), {
      code: 'ENOENT',
      syscall: 'open',
    });
    expect(isTransientConnectionError(noSocket)).toBe(true);
    expect(isTransientConnectionError(noFile)).toBe(false);
  });

  // Each message matches /timeout/: the code, or the error's class, must decide.
  it.each([
    [
      'a wrong password for a role named *timeout* (28P01)',
      serverError('password authentication failed for user "svc_timeout"', '28P01'),
    ],
    [
      'an unknown database named *timeout* (3D000)',
      serverError('database "timeouts" does not exist', '3D000'),
    ],
    [
      "a column type the driver lacks (TypeORM's DataTypeNotSupportedError)",
      new DataTypeNotSupportedError(
        {
          entityMetadata: { targetName: 'Job' },
          propertyName: 'timeoutAt',
        } as unknown as ColumnMetadata,
        'datetime',
        'postgres',
      ),
    ],
    // Only pg's code-less errors, plain Errors, are judged by their message.
    ['a TypeError that reads like pg', new TypeError('timeout expired')],
  ])('fails at once on %s', (_name, error) => {
    expect((error as Error).message).toMatch(/timeout/i);
    expect(isTransientConnectionError(error)).toBe(false);
  });
});

describe('isDatabaseUnavailableError', () => {
  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection due to crash of another server process'],
    ['53300', 'sorry, too many clients already'],
    ['3D000', 'database "app" does not exist'],
    ['28000', 'no pg_hba.conf entry for host'],
    ['28P01', 'password authentication failed for user "app"'],
    ['57014', 'canceling statement due to statement timeout'],
    ['55P03', 'canceling statement due to lock timeout'],
    ['SQLITE_BUSY', 'database is locked'],
    ['SQLITE_BUSY_SNAPSHOT', 'database is locked'],
    ['SQLITE_CANTOPEN', 'unable to open database file'],
    ['SQLITE_READONLY', 'attempt to write a readonly database'],
    ['SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database'],
  ])('is true for %s', (code, message) => {
    expect(isDatabaseUnavailableError(serverError(message, code))).toBe(true);
    expect(
      isDatabaseUnavailableError(new QueryFailedError('SELECT 1', [], serverError(message, code))),
    ).toBe(true);
  });

  it("is true for TypeORM's not-connected errors", () => {
    expect(isDatabaseUnavailableError(new CannotGetEntityManagerNotConnectedError('default'))).toBe(
      true,
    );
    expect(isDatabaseUnavailableError(new ConnectionIsNotSetError('postgres'))).toBe(true);
  });

  it.each([
    ['SQLITE_BUSYNESS', 'not an SQLite code'],
    ['XSQLITE_BUSY', 'not an SQLite code'],
    ['SQLITE_CONSTRAINT', 'UNIQUE constraint failed'],
    ['SQLITE_READONLY'.toLowerCase(), 'lower case'],
    ['23505', 'duplicate key value violates unique constraint'],
  ])('is false for %s', (code, message) => {
    expect(isDatabaseUnavailableError(serverError(message, code))).toBe(false);
  });

  it('judges an error with an empty code by its class and message, as a code-less one', () => {
    expect(isDatabaseUnavailableError(serverError('Connection terminated unexpectedly', ''))).toBe(
      true,
    );
    expect(
      isDatabaseUnavailableError(serverError('Connection terminated unexpectedly', '23505')),
    ).toBe(false);
    // Anchored: a message merely containing pg's words is not pg's.
    expect(isDatabaseUnavailableError(new Error('value "Connection terminated" is invalid'))).toBe(
      false,
    );
  });
});

describe('postgresTargetOf', () => {
  it('reads host and port, never the password', () => {
    expect(postgresTargetOf('postgres://app:s%40cret@db:5433/app')).toEqual({
      host: 'db',
      port: 5433,
    });
  });

  it('defaults the port to 5432 and unwraps IPv6 brackets', () => {
    expect(postgresTargetOf('postgres://app:pw@[::1]/app')).toEqual({ host: '::1', port: 5432 });
  });
  it('reads a socket folder and port given in the query, as pg does', () => {
    expect(postgresTargetOf('postgres://app:pw@/app?host=/cloudsql/p:r:i')).toEqual({
      host: '/cloudsql/p:r:i',
      port: 5432,
    });
    expect(postgresTargetOf('postgres://app:pw@db/app?port=6000')).toEqual({
      host: 'db',
      port: 6000,
    });
  });
});

describe('withConnectionTarget', () => {
  it('names host and port for a refused connection whose own message is empty', () => {
    const error = withConnectionTarget(refused(), { host: 'db', port: 5432 }, false) as Error;
    expect(error.message).toBe('cannot reach PostgreSQL at db:5432: ECONNREFUSED');
    expect(error.message).not.toContain('Hint');
  });

  it('repeats the container hint for localhost in a container, and stays retryable', () => {
    const error = withConnectionTarget(refused(), { host: 'localhost', port: 5432 }, true);
    expect((error as Error).message).toMatch(
      /^cannot reach PostgreSQL at localhost:5432: ECONNREFUSED\. Hint: .*localhost is the container itself.*POSTGRES_HOST=db/,
    );
    expect(isTransientConnectionError(error)).toBe(true);
  });

  it('in a container, says why a Compose service name does not resolve, and stays retryable', () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND db'), {
      code: 'ENOTFOUND',
      syscall: 'getaddrinfo',
    });
    const error = withConnectionTarget(notFound, { host: 'db', port: 5432 }, true) as Error;
    expect(error.message).toMatch(
      /^cannot reach PostgreSQL at db:5432: getaddrinfo ENOTFOUND db\. Hint: no container answers to the name db on this container's networks/,
    );
    expect(error.message).toContain('only while its container runs');
    expect(error.message).toContain('docker compose up -d --wait');
    expect(error.message).toContain('docker compose run');
    expect(error.message).toContain('check POSTGRES_HOST');
    expect(isTransientConnectionError(error)).toBe(true);
    // Outside a container, or for a full domain name, a Compose hint would mislead.
    expect(withConnectionTarget(notFound, { host: 'db', port: 5432 }, false)).not.toHaveProperty(
      'message',
      expect.stringContaining('Hint'),
    );
    const remote = Object.assign(new Error('getaddrinfo ENOTFOUND pg.example.com'), {
      code: 'ENOTFOUND',
    });
    expect(
      (withConnectionTarget(remote, { host: 'pg.example.com', port: 5432 }, true) as Error).message,
    ).not.toContain('Hint');
  });

  it("in a container, says that a Compose service is reached on its container's port, not a published one", () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 172.18.0.2:5433'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    });
    const message = (target: Parameters<typeof withConnectionTarget>[1], inContainer = true) =>
      (withConnectionTarget(refused, target, inContainer) as Error).message;
    expect(message({ host: 'db', port: 5433 })).toMatch(
      /^cannot reach PostgreSQL at db:5433: connect ECONNREFUSED 172\.18\.0\.2:5433\. Hint: nothing listens on port 5433 of db\./,
    );
    expect(message({ host: 'db', port: 5433 })).toContain(
      "its container's port (5432 for PostgreSQL), not a port published on the host",
    );
    expect(message({ host: 'db', port: 5433 })).toContain(
      'set POSTGRES_PORT=5432 or leave it unset',
    );
    expect(message({ host: 'db', port: 6543, hostVariable: 'DATABASE_URL' })).toContain(
      'the port in DATABASE_URL',
    );
    expect(message({ host: 'db', port: 6543, hostVariable: '--to' })).toContain(
      'the port in the --to URL',
    );
    // On 5432 the port is not the matter (the server is still starting, or stopped); outside a
    // container, or for a full domain name, Compose's networking is not either.
    expect(message({ host: 'db', port: 5432 })).not.toContain('Hint');
    expect(message({ host: 'db', port: 5433 }, false)).not.toContain('Hint');
    expect(message({ host: 'pg.example.com', port: 5433 })).not.toContain('Hint');
  });

  it('leaves configuration errors untouched (they are not retried)', () => {
    const error = Object.assign(new Error('password authentication failed for user "app"'), {
      code: '28P01',
    });
    expect(withConnectionTarget(error, { host: 'localhost', port: 5432 }, true)).toBe(error);
  });
});
