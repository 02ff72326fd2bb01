import { QueryFailedError, TypeORMError } from 'typeorm';
// The file, not the @app/config barrel: that would also load Nest's config module, and with it
// Nest, into the migrations one-shot's bundle (apps/api/src/migrate.ts).
import { containerLocalhostHint } from '../../config/src/container-hint';
import { describePasswordError } from './password-errors';

// The codes worth retrying: network failures, and the one SQLSTATE that means "try again soon".
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P03', // the database system is starting up
]);

/**
 * True for failures worth retrying (network, server starting up); false for configuration
 * errors such as a wrong password or an unknown database, which fail at once.
 *
 * An error with a code (SQLSTATE, Node's errno names, SQLite's) is judged by that code alone:
 * its message may quote user input, as in `password authentication failed for user
 * "svc_timeout"` or `database "timeouts" does not exist`. The message is read only for the
 * code-less errors of pg and pg-pool (`timeout expired`, `Connection terminated unexpectedly`).
 * TypeORM's own errors (a column type the driver lacks, a missing driver package...) are
 * configuration errors whatever they say, except a failed query, which carries the driver's code.
 */
export function isTransientConnectionError(error: unknown): boolean {
  if (error instanceof TypeORMError && !(error instanceof QueryFailedError)) return false;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: string };
  if (code !== undefined && code !== null && code !== '') return TRANSIENT_CODES.has(String(code));
  return /timeout|terminated unexpectedly|Connection terminated/i.test(message ?? '');
}

/** Where a PostgreSQL connection goes: host and port only, never the credentials. */
export interface PostgresTarget {
  host: string;
  port: number;
}

/** The host and port of a postgres:// URL (the password in it is ignored). */
export function postgresTargetOf(url: string): PostgresTarget {
  const parsed = new URL(url);
  const host = decodeURIComponent(parsed.hostname).replace(/^\[(.*)\]$/, '$1') || 'localhost';
  return { host, port: Number(parsed.port || 5432) };
}

/**
 * Rewrites a network error so it names the address tried (Node's AggregateError for
 * `localhost` has an empty message) and repeats the localhost-in-a-container hint when it
 * applies, and a password error so it says what to change (`describePasswordError`). Keeps
 * `code` so retry decisions are unchanged; other errors pass through as they are.
 */
export function withConnectionTarget(
  error: unknown,
  target: PostgresTarget,
  inContainer?: boolean,
): unknown {
  if (!isTransientConnectionError(error)) return describePasswordError(error, target) ?? error;
  const { code, message } = error as { code?: string; message?: string };
  const reason = message || code || 'connection failed';
  const hint = containerLocalhostHint(target.host, inContainer);
  const described = Object.assign(
    new Error(
      `cannot reach PostgreSQL at ${target.host}:${target.port}: ${reason}` +
        (hint ? `. Hint: ${hint}` : ''),
      { cause: error },
    ),
    { code },
  );
  return described;
}
