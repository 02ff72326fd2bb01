import {
  CannotExecuteNotConnectedError,
  CannotGetEntityManagerNotConnectedError,
  ConnectionIsNotSetError,
  QueryFailedError,
  TypeORMError,
} from 'typeorm';
// The file, not the @app/config barrel: that would also load Nest's config module, and with it
// Nest, into the migrations one-shot's bundle (apps/api/src/migrate.ts).
import type { HostSource } from '../../config/src/config.types';
import {
  containerLocalhostHint,
  publishedPortHint,
  unresolvedServiceHint,
} from '../../config/src/container-hint';
import { postgresTarget } from '../../config/src/postgres-url';
import { describePasswordError } from './password-errors';

/*
 * Two lists for two moments. At start-up only what may pass by itself is retried: network
 * failures and a server still starting (57P03); a wrong password or an unknown database is a
 * configuration error and fails at once. At request time, after a good start, more means "the
 * database cannot serve us now" (503, try again shortly): PostgreSQL shutting down (57P01,
 * 57P02), out of connections (53300), the database dropped (3D000), our login refused (class
 * 28: a rotated password), a statement cancelled as too slow or a lock not granted in time
 * (57014, 55P03), and SQLite's lock and file errors.
 */
/** ENOENT from a socket connect: no socket file, the server in that folder is not up. */
const NO_SOCKET = 'ENOENT (connect)';

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  NO_SOCKET,
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P03', // the database system is starting up
]);
const UNAVAILABLE_CODES = new Set([
  ...TRANSIENT_CODES,
  '57P01',
  '57P02',
  '53300',
  '3D000',
  '28000',
  '28P01',
  // A statement cancelled by statement_timeout (or pg_cancel_backend), or a lock not granted
  // within a lock_timeout set on the role or database: slow, not wrong (a write waiting for a
  // row another session holds, say). Nothing was changed; the same request may pass later.
  '57014',
  '55P03',
]);
/** SQLite's result codes, extended ones included (SQLITE_BUSY_SNAPSHOT, SQLITE_READONLY_DBMOVED). */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|CANTOPEN|READONLY)(_|$)/;

/** pg's and pg-pool's messages for a connection lost or not obtained: these errors have no code. */
const PG_LOST_CONNECTION =
  /^(Connection terminated|timeout expired|timeout exceeded when trying to connect|Query read timeout|Client (has encountered a connection error|was closed) and is not queryable)/;

/**
 * Judges a database error by its code (SQLSTATE, Node's errno names, SQLite's) when it has one:
 * its message may quote user input, as in `password authentication failed for user
 * "svc_timeout"` or `invalid input syntax for type integer: "timeout"`. The message is read only
 * for pg's code-less errors, which are plain `Error`s; a failed query is judged by its driver's
 * error. Any other error (a TypeError in a handler...) is never judged by what its message says.
 */
function hasCodeIn(error: unknown, codes: (code: string) => boolean): boolean {
  const cause = error instanceof QueryFailedError ? error.driverError : error;
  const { code, message, syscall } = (cause ?? {}) as {
    code?: unknown;
    message?: unknown;
    syscall?: unknown;
  };
  if (code === 'ENOENT' && syscall === 'connect') return codes(NO_SOCKET);
  if (code !== undefined && code !== null && code !== '') return codes(String(code));
  return (
    (cause as object | undefined)?.constructor === Error && PG_LOST_CONNECTION.test(String(message))
  );
}

/**
 * True for failures worth retrying at start-up (network, server starting up); false for
 * configuration errors such as a wrong password or an unknown database, which fail at once.
 * TypeORM's own errors (a column type the driver lacks, a missing driver package...) are
 * configuration errors whatever they say, except a failed query, which carries the driver's code.
 */
export function isTransientConnectionError(error: unknown): boolean {
  if (error instanceof TypeORMError && !(error instanceof QueryFailedError)) return false;
  return hasCodeIn(error, (code) => TRANSIENT_CODES.has(code));
}

/**
 * True when the database cannot serve a request now (a 503 at request time, see above), the
 * same for both drivers: also TypeORM's "not connected" errors, between a lost database and
 * its return.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  if (
    error instanceof CannotExecuteNotConnectedError ||
    error instanceof CannotGetEntityManagerNotConnectedError ||
    error instanceof ConnectionIsNotSetError
  ) {
    return true;
  }
  return hasCodeIn(error, (code) => UNAVAILABLE_CODES.has(code) || SQLITE_UNAVAILABLE.test(code));
}

/** Where a PostgreSQL connection goes: host and port only, never the credentials. */
export interface PostgresTarget {
  host: string;
  port: number;
  /** Where the host came from (POSTGRES_HOST when not known), for the hints. */
  hostVariable?: HostSource;
}

/** The host (or socket folder) and port of a postgres:// URL, as pg reads them. */
export function postgresTargetOf(url: string): PostgresTarget {
  return postgresTarget(url);
}

/**
 * Rewrites a network error so it names the address tried (Node's AggregateError for
 * `localhost` has an empty message) and adds the container hints that apply (localhost in a
 * container, a service name that does not resolve, a port published on the host), and a
 * password error so it says what to change (`describePasswordError`). Keeps `code` so retry
 * decisions are unchanged; other errors pass through as they are.
 */
export function withConnectionTarget(
  error: unknown,
  target: PostgresTarget,
  inContainer?: boolean,
): unknown {
  if (!isTransientConnectionError(error)) return describePasswordError(error, target) ?? error;
  const { code, message, syscall } = error as { code?: string; message?: string; syscall?: string };
  const reason = message || code || 'connection failed';
  const hint =
    containerLocalhostHint(target.host, inContainer, target.hostVariable) ??
    unresolvedServiceHint(target.host, code, inContainer, target.hostVariable) ??
    publishedPortHint(target.host, target.port, code, inContainer, target.hostVariable);
  const described = Object.assign(
    new Error(
      `cannot reach PostgreSQL at ${target.host}:${target.port}: ${reason}` +
        (hint ? `. Hint: ${hint}` : ''),
      { cause: error },
    ),
    { code, syscall },
  );
  return described;
}
