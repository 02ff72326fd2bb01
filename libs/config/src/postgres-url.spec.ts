import {
  NOT_A_POSTGRES_URL,
  postgresHostProblem,
  postgresLogin,
  postgresUrlProblem,
} from './postgres-url';

describe('postgresUrlProblem', () => {
  it('takes only a URL that starts with the postgres scheme, not one that merely holds it', () => {
    expect(postgresUrlProblem('postgres://u:p@db:5432/app')).toBeUndefined();
    expect(postgresUrlProblem('postgresql://u:p@db/app')).toBeUndefined();
    for (const url of ['mysql://db/app?next=postgres://db/app', ' xpostgres://db/app']) {
      expect(postgresUrlProblem(url)).toBe(NOT_A_POSTGRES_URL);
    }
  });

  it('takes ?port= from 1 to 65535 written in digits, and nothing else', () => {
    for (const port of ['1', '5432', '65535']) {
      expect(postgresUrlProblem(`postgres://u@db/app?port=${port}`)).toBeUndefined();
    }
    for (const port of ['0', '65536', '5e3', '+5432', '5432x']) {
      expect(postgresUrlProblem(`postgres://u@db/app?port=${port}`)).toBe(
        'not a valid URL: ?port= must be a number from 1 to 65535',
      );
    }
  });

  it('blames the host, not the port, for a bad host followed by an empty port', () => {
    expect(postgresUrlProblem('postgres://u@bad host:/app')).toBe(
      'not a valid URL: the host is not a valid host name or address',
    );
    expect(postgresUrlProblem('postgres://u@db:70000/app')).toBe(
      'not a valid URL: the port after the host must be a number from 1 to 65535',
    );
  });
});

describe('postgresLogin', () => {
  it('decodes the database name and the user as pg does', () => {
    expect(postgresLogin('postgres://my%20user:pw@db/my%20db')).toEqual({
      database: 'my db',
      user: 'my user',
    });
  });
});

describe('postgresHostProblem', () => {
  it('tells a host:port apart from a host that is merely malformed', () => {
    expect(postgresHostProblem('db:5432')).toBe(
      'holds a port (host:port); give the host alone and the port in POSTGRES_PORT',
    );
    expect(postgresHostProblem('db:5432x')).toBe('not a host name or address');
  });

  it('refuses white space in a host, which URL parsing would silently drop (tab, newline)', () => {
    for (const host of ['db\n', 'd\tb', 'my db']) {
      expect(postgresHostProblem(host)).toBe('not a host name or address');
    }
    expect(postgresHostProblem('db')).toBeUndefined();
  });
});
