import { redactSecrets } from '@app/config';
import { isTransientConnectionError, withConnectionTarget } from './connection-errors';

/** What pg throws when a SCRAM server asks for the password of a URL that has none. */
const noPassword = () =>
  new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string');

describe('a server that asks for a password none is configured for', () => {
  const target = { host: 'pg.internal', port: 6432 };

  it('names the server and what to set, instead of the SASL message', () => {
    const error = withConnectionTarget(noPassword(), target, false) as Error;
    expect(error.message).toBe(
      'the PostgreSQL server at pg.internal:6432 asks for a password and none is configured: ' +
        'add it to DATABASE_URL after the user name (user:password@host, the password ' +
        'URL-encoded), or, instead of DATABASE_URL, set POSTGRES_HOST, POSTGRES_PORT, ' +
        'POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB (POSTGRES_PASSWORD is not read while ' +
        'DATABASE_URL is set)',
    );
    expect(error.cause).toBeInstanceOf(Error);
    expect(isTransientConnectionError(error)).toBe(false);
  });

  it('says the same for an empty password (user:@host)', () => {
    const empty = new Error(
      'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a non-empty string',
    );
    expect((withConnectionTarget(empty, target, false) as Error).message).toMatch(
      /^the PostgreSQL server at pg\.internal:6432 asks for a password and none is configured/,
    );
  });

  it('survives redaction of start-up errors intact', () => {
    const { message } = withConnectionTarget(noPassword(), target, false) as Error;
    expect(redactSecrets(message, [])).toBe(message);
  });
});

describe('a password the Compose database refuses (28P01)', () => {
  const wrongPassword = (user: string) =>
    Object.assign(new Error(`password authentication failed for user "${user}"`), {
      code: '28P01',
    });

  it('explains that POSTGRES_PASSWORD only applies to an empty volume, and how to change it', () => {
    const error = withConnectionTarget(wrongPassword('app'), { host: 'db', port: 5432 }, true);
    expect((error as Error).message).toBe(
      'password authentication failed for user "app". Hint: the postgres image applies ' +
        'POSTGRES_PASSWORD only when it initialises an empty data volume, so changing it later ' +
        "does not change the password of the role app. To set the role's password to the new " +
        'value: docker compose exec db psql -h /var/run/postgresql -U app -d postgres -c ' +
        '"ALTER USER app PASSWORD \'<new password>\'"; or start afresh with docker compose ' +
        'down -v (deletes all the data)',
    );
    expect(error).toMatchObject({ code: '28P01' });
    expect(isTransientConnectionError(error)).toBe(false);
  });

  it('names a role that is no plain identifier by a placeholder, not in a shell command', () => {
    const error = withConnectionTarget(wrongPassword('a"b; rm -rf'), { host: 'db', port: 5432 });
    expect((error as Error).message).toContain(
      'docker compose exec db psql -h /var/run/postgresql -U <user> -d postgres -c ' +
        '"ALTER USER <user> PASSWORD',
    );
  });

  it('leaves the error as it is for any other host (no Compose volume to blame)', () => {
    const error = wrongPassword('app');
    expect(withConnectionTarget(error, { host: 'pg.internal', port: 5432 }, false)).toBe(error);
  });
});
