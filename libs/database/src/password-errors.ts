import type { PostgresTarget } from './connection-errors';

/**
 * pg's own error (no SQLSTATE) when the server asks for a SCRAM password and the connection has
 * none (`postgres://user@host/db`), or an empty one (`postgres://user:@host/db`).
 */
const NO_PASSWORD = /client password must be a (non-empty )?string/;

/** SQLSTATE invalid_password: the server refused the password given. */
const WRONG_PASSWORD = '28P01';

/** The Compose service name of the database in docker-compose.yml. */
const COMPOSE_DB_HOST = 'db';

/**
 * Says what to set when the server wants a password and none is configured. Only DATABASE_URL
 * (or db:copy's --to URL) can lack one (the schema requires a non-empty POSTGRES_PASSWORD
 * without it), and while
 * DATABASE_URL is set POSTGRES_PASSWORD is not read, so the text says so. The example has no
 * `postgres://` before `user:password@`: redactSecrets would mask it as a URL's password.
 */
export function missingPasswordMessage(target: PostgresTarget): string {
  const asks = `the PostgreSQL server at ${target.host}:${target.port} asks for a password`;
  const where = '(user:password@host, the password URL-encoded)';
  if (target.hostVariable === '--to') {
    return `${asks} and the --to URL has none: add it after the user name ${where}`;
  }
  return (
    `${asks} and none is configured: add it to DATABASE_URL after the user name ${where}, ` +
    `or, instead of DATABASE_URL, set POSTGRES_HOST, POSTGRES_PORT, ` +
    `POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB (POSTGRES_PASSWORD is not read while ` +
    `DATABASE_URL is set)`
  );
}

/**
 * Why a Compose database may refuse the password in .env: the postgres image sets the role's
 * password from POSTGRES_PASSWORD only when it initialises an empty volume. `user` is the role
 * named by the server's message (a plain identifier, else a placeholder); the new password is
 * always a placeholder, never the configured value. `-d postgres`: a database that always
 * exists, whatever POSTGRES_DB is. `-h /var/run/postgresql`: the container's local socket, which
 * the image trusts, so no password is asked; named, because a psql whose default socket folder
 * is another (/tmp, say) would not find the server without it.
 */
export function composePasswordHint(user?: string): string {
  const role = user && /^[a-z_][a-z0-9_]*$/.test(user) ? user : '<user>';
  return (
    `the postgres image applies POSTGRES_PASSWORD only when it initialises an empty data ` +
    `volume, so changing it later does not change the password of the role ${role}. To set ` +
    `the role's password to the new value: docker compose exec db psql -h /var/run/postgresql ` +
    `-U ${role} -d postgres -c "ALTER USER ${role} PASSWORD '<new password>'"; or start ` +
    `afresh with docker compose down -v (deletes all the data)`
  );
}

/**
 * Rewrites the password errors a user can act on: none configured for a server that wants one,
 * and a refused one from the Compose `db` service (with `composePasswordHint`), keeping its
 * code. Undefined for every other error.
 */
export function describePasswordError(error: unknown, target: PostgresTarget): Error | undefined {
  const { code, message = '' } = (error ?? {}) as { code?: string; message?: string };
  if (!code && NO_PASSWORD.test(message)) {
    return new Error(missingPasswordMessage(target), { cause: error });
  }
  if (code === WRONG_PASSWORD && target.host === COMPOSE_DB_HOST) {
    // Greedy: the server quotes the role name without escaping the quotes inside it.
    const user = /for user "(.*)"/.exec(message)?.[1];
    return Object.assign(
      new Error(`${message}. Hint: ${composePasswordHint(user)}`, { cause: error }),
      { code },
    );
  }
  return undefined;
}
