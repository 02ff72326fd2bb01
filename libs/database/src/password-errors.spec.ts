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
