import { redactSecrets } from '@app/config';
import { isTransientConnectionError, withConnectionTarget } from './connection-errors';
import { describePasswordError } from './password-errors';

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

  it("names db:copy's --to URL when the password is missing there", () => {
    const error = withConnectionTarget(noPassword(), { ...target, hostVariable: '--to' });
    expect((error as Error).message).toBe(
      'the PostgreSQL server at pg.internal:6432 asks for a password and the --to URL has none: ' +
        'add it after the user name (user:password@host, the password URL-encoded)',
    );
  });

  it('leaves a server error (one with a SQLSTATE) that quotes the same words as it is', () => {
    const error = Object.assign(new Error('client password must be a string'), { code: 'XX000' });
    expect(withConnectionTarget(error, target, false)).toBe(error);
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
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(isTransientConnectionError(error)).toBe(false);
  });

  it('names a role in the command only as PostgreSQL reads it unquoted: lower case, not a digit first', () => {
    const command = (user: string) => {
      const error = withConnectionTarget(wrongPassword(user), { host: 'db', port: 5432 });
      return /-U (\S+) -d postgres -c "ALTER USER (\S+) PASSWORD/.exec((error as Error).message);
    };
    expect(command('app_2')?.slice(1)).toEqual(['app_2', 'app_2']);
    expect(command('_app')?.slice(1)).toEqual(['_app', '_app']);
    // ALTER USER App would change the role app, not App.
    expect(command('App')?.slice(1)).toEqual(['<user>', '<user>']);
    expect(command('2app')?.slice(1)).toEqual(['<user>', '<user>']);
  });

  it('names no role when the message names none', () => {
    const error = Object.assign(new Error('password authentication failed'), { code: '28P01' });
    expect((withConnectionTarget(error, { host: 'db', port: 5432 }) as Error).message).toContain(
      'the password of the role <user>. To set',
    );
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

describe('describePasswordError', () => {
  const target = { host: 'db', port: 5432 };

  it('gives undefined for every other error, a thrown null or undefined included', () => {
    expect(describePasswordError(new Error('connect ECONNREFUSED'), target)).toBeUndefined();
    expect(
      describePasswordError(Object.assign(new Error('no'), { code: '28000' }), target),
    ).toBeUndefined();
    expect(describePasswordError(null, target)).toBeUndefined();
    expect(describePasswordError(undefined, target)).toBeUndefined();
  });
});
