import type { PostgresTarget } from './connection-errors';

/**
 * pg's own error (no SQLSTATE) when the server asks for a SCRAM password and the connection has
 * none (`postgres://user@host/db`), or an empty one (`postgres://user:@host/db`).
 */
const NO_PASSWORD = /client password must be a (non-empty )?string/;

/**
 * Says what to set when the server wants a password and none is configured. Only DATABASE_URL
 * can lack one (the schema requires a non-empty POSTGRES_PASSWORD without it), and while
 * DATABASE_URL is set POSTGRES_PASSWORD is not read, so the text says so. The example has no
 * `postgres://` before `user:password@`: redactSecrets would mask it as a URL's password.
 */
export function missingPasswordMessage(target: PostgresTarget): string {
  return (
    `the PostgreSQL server at ${target.host}:${target.port} asks for a password and none is ` +
    `configured: add it to DATABASE_URL after the user name (user:password@host, the password ` +
    `URL-encoded), or, instead of DATABASE_URL, set POSTGRES_HOST, POSTGRES_PORT, ` +
    `POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB (POSTGRES_PASSWORD is not read while ` +
    `DATABASE_URL is set)`
  );
}

/**
 * Rewrites the password errors a user can act on: none configured for a server that wants one.
 * Undefined for every other error.
 */
export function describePasswordError(error: unknown, target: PostgresTarget): Error | undefined {
  const { code, message = '' } = (error ?? {}) as { code?: string; message?: string };
  if (!code && NO_PASSWORD.test(message)) {
    return new Error(missingPasswordMessage(target), { cause: error });
  }
  return undefined;
}
