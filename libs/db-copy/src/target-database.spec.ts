import { connectionError } from './target-database';

/** A refused connection as Node reports it: the code, and the address in the message. */
const refused = (address: string) =>
  Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });

/** pg's own error when the server asks for a password and the URL has none. */
const noPassword = () =>
  new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string');

describe('connectionError (db:copy and db:verify cannot connect to the target)', () => {
  const inContainer = true;

  it('names the address and the reason once, exit code 2', () => {
    const error = connectionError('postgres://app:pw@10.0.0.7:6543/app', refused('10.0.0.7:6543'), {
      inContainer,
    });
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'Cannot reach PostgreSQL at 10.0.0.7:6543: connect ECONNREFUSED 10.0.0.7:6543',
    );
  });

  it('in a container, says that localhost is the container itself, naming the --to URL', () => {
    const { message } = connectionError(
      'postgres://app:pw@localhost/app',
      refused('127.0.0.1:5432'),
      {
        inContainer,
      },
    );
    expect(message).toMatch(
      /^Cannot reach PostgreSQL at localhost:5432: connect ECONNREFUSED 127\.0\.0\.1:5432\. Hint: the PostgreSQL host is localhost, but this process runs in a container/,
    );
    expect(message).toContain('the host part of the --to URL');
  });

  it('names the variable the configured target came from in that hint', () => {
    const { message } = connectionError(
      'postgres://app:pw@127.0.0.1/app',
      refused('127.0.0.1:5432'),
      {
        inContainer,
        hostVariable: 'POSTGRES_HOST',
      },
    );
    expect(message).toContain('(e.g. POSTGRES_HOST=db)');
  });

  it('in a container, says to start the database when the Compose service name does not resolve', () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' });
    const { message, exitCode } = connectionError('postgres://app:pw@db:5432/app', notFound, {
      inContainer,
      hostVariable: 'POSTGRES_HOST',
    });
    expect(exitCode).toBe(2);
    expect(message).toMatch(
      /^Cannot reach PostgreSQL at db:5432: getaddrinfo ENOTFOUND db\. Hint: no container answers to the name db/,
    );
    expect(message).toContain('docker compose up -d --wait');
    const fromFlag = connectionError('postgres://app:pw@dbb:5432/app', notFound, { inContainer });
    expect(fromFlag.message).toContain('check the host part of the --to URL');
  });

  it('gives no hint outside a container', () => {
    const { message } = connectionError(
      'postgres://app:pw@localhost/app',
      refused('127.0.0.1:5432'),
      {
        inContainer: false,
      },
    );
    expect(message).not.toContain('Hint');
  });

  it('says where the password goes when the server asks for one and the URL has none', () => {
    const fromFlag = connectionError('postgres://app@db.example:5432/app', noPassword(), {
      inContainer,
    });
    expect(fromFlag.message).toMatch(
      /^The PostgreSQL server at db\.example:5432 asks for a password and the --to URL has none: add it after the user name \(user:password@host/,
    );
    const fromConfig = connectionError('postgres://app@db.example:5432/app', noPassword(), {
      inContainer,
      hostVariable: 'DATABASE_URL',
    });
    expect(fromConfig.message).toContain('none is configured: add it to DATABASE_URL after');
  });

  it('keeps the server code of other errors, and no URL it quotes', () => {
    const unknownDatabase = Object.assign(
      new Error('database "apq" does not exist, see postgres://app:pw@db/apq'),
      { code: '3D000' },
    );
    const { message } = connectionError('postgres://app:pw@db:5432/apq', unknownDatabase, {
      inContainer,
    });
    expect(message).toBe(
      'Cannot connect to PostgreSQL at db:5432: 3D000 database "apq" does not exist, see <url>',
    );
  });
});
