import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseHostHint } from './container-hint';
import { ConfigError, loadConfig, loadConfigOrExit } from './load-config';

const dir = mkdtempSync(join(tmpdir(), 'config-spec-'));
const noEnvFile = join(dir, 'missing.env');
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const problemsOf = (env: Record<string, string>, envFile = noEnvFile): string[] => {
  try {
    loadConfig(env, envFile);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};
const NOT_READABLE = 'not the path of a readable file (the value is not shown)';
const pg = {
  DB_TYPE: 'postgres',
  POSTGRES_USER: 'app',
  POSTGRES_PASSWORD: 'pw',
  POSTGRES_DB: 'app',
};

describe('loadConfig', () => {
  it('defaults to SQLite at ./data/app.sqlite with no variable set', () => {
    const config = loadConfig({}, noEnvFile);
    expect(config.database).toMatchObject({
      type: 'sqlite',
      path: './data/app.sqlite',
      migrationsRun: true,
    });
    expect(config.http).toEqual({
      host: '0.0.0.0',
      port: 3000,
      nodeEnv: 'development',
      logLevel: 'info',
      shutdownDrainMs: 1000,
      shutdownGraceMs: 10_000,
      corsOrigins: [],
      rateLimitMax: 1000,
      rateLimitWindowMs: 60_000,
    });
  });

  it('needs no POSTGRES_* variable for SQLite, even with POSTGRES_PORT unset or blank', () => {
    expect(loadConfig({ DB_TYPE: 'sqlite', POSTGRES_PASSWORD: '' }, noEnvFile).database.type).toBe(
      'sqlite',
    );
  });

  it('refuses a SQLITE_PATH starting with ~, which only a shell expands', () => {
    // Taken as written, ~/app.sqlite made a folder named "~" in the working directory.
    for (const path of ['~/app.sqlite', '~', '~app/data/app.sqlite']) {
      expect([path, problemsOf({ SQLITE_PATH: path })]).toEqual([
        path,
        [
          'SQLITE_PATH: starts with ~, which only a shell expands (not .env, Docker or a process manager); give the whole path, such as /home/me/app.sqlite',
        ],
      ]);
    }
    // A file whose name starts with ~ is not a home folder.
    expect(loadConfig({ SQLITE_PATH: './~app.sqlite' }, noEnvFile).database).toMatchObject({
      path: './~app.sqlite',
    });
    expect(loadConfig({ SQLITE_PATH: '~app.sqlite' }, noEnvFile).database).toMatchObject({
      path: '~app.sqlite',
    });
  });

  it('requires user, password and database for PostgreSQL without DATABASE_URL', () => {
    const problems = problemsOf({ DB_TYPE: 'postgres' });
    expect(problems).toEqual([
      expect.stringMatching(/^POSTGRES_USER: required when DB_TYPE=postgres/),
      expect.stringMatching(/^POSTGRES_PASSWORD: required when DB_TYPE=postgres/),
      expect.stringMatching(/^POSTGRES_DB: required when DB_TYPE=postgres/),
    ]);
  });

  it('reports every problem at once, one line each, naming the variable', () => {
    const problems = problemsOf({
      DB_TYPE: 'mysql',
      PORT: 'eighty',
      POSTGRES_PORT: 'abc',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'DB_TYPE',
      'LOG_LEVEL',
      'PORT',
      'POSTGRES_PORT',
    ]);
    expect(problems.find((p) => p.startsWith('POSTGRES_PORT'))).toMatch(
      /whole number from 1 to 65535/,
    );
  });

  it('reads choices and switches whatever their case and surrounding blanks', () => {
    const config = loadConfig(
      {
        ...pg,
        DB_TYPE: 'Postgres ',
        LOG_LEVEL: 'INFO',
        DB_MIGRATIONS_RUN: 'FALSE',
        DB_SYNCHRONIZE: 'False',
      },
      noEnvFile,
    );
    expect(config.database).toMatchObject({ type: 'postgres', migrationsRun: false });
    expect(config.http.logLevel).toBe('info');
    expect(problemsOf({ DB_TYPE: 'mysql' })).toEqual(['DB_TYPE: expected sqlite or postgres']);
  });

  it('parses ports as numbers', () => {
    const config = loadConfig({ ...pg, POSTGRES_PORT: '5433', PORT: '8080' }, noEnvFile);
    expect(config.http.port).toBe(8080);
    expect(config.database).toMatchObject({ type: 'postgres', port: 5433, host: 'localhost' });
  });

  it('says where a POSTGRES_PORT of tcp://host:port comes from: a Kubernetes service link', () => {
    // A Service named postgres in the namespace gives every pod POSTGRES_PORT=tcp://<ip>:5432.
    expect(problemsOf({ ...pg, POSTGRES_PORT: 'tcp://10.96.0.12:5432' })).toEqual([
      'POSTGRES_PORT: expected a whole number from 1 to 65535; a tcp://… value is what Kubernetes sets for a Service named postgres (a service link): set POSTGRES_PORT in the pod yourself, or enableServiceLinks: false',
    ]);
  });

  it('rejects out-of-range ports', () => {
    expect(problemsOf({ ...pg, POSTGRES_PORT: '70000' })).toEqual([
      expect.stringMatching(/^POSTGRES_PORT: expected at most 65535/),
    ]);
    // 0 would listen on a port the OS picks, which no probe or healthcheck could know.
    expect(problemsOf({ PORT: '0' })).toEqual(['PORT: expected at least 1']);
    expect(problemsOf({ PORT: '65536' })).toEqual(['PORT: expected at most 65535']);
  });

  it('URL-encodes user and password when building the URL from parts', () => {
    const config = loadConfig(
      { ...pg, POSTGRES_USER: 'we ird', POSTGRES_PASSWORD: 'p@ss:w/rd%#', POSTGRES_HOST: 'db' },
      noEnvFile,
    );
    if (config.database.type !== 'postgres') throw new Error('expected postgres');
    const url = new URL(config.database.url);
    expect(decodeURIComponent(url.password)).toBe('p@ss:w/rd%#');
    expect(decodeURIComponent(url.username)).toBe('we ird');
    expect(url.hostname).toBe('db');
    expect(url.pathname).toBe('/app');
  });

  it('builds a URL from which pg reads POSTGRES_DB as written', () => {
    // pg decodes the database with decodeURI, which leaves %2B, %3A, %24... as they are.
    for (const name of ['a+b', 'my:db', 'x$y,z;w=v&u@t', 'dir/name', 'sp ace %25 é']) {
      const config = loadConfig({ ...pg, POSTGRES_DB: name }, noEnvFile);
      if (config.database.type !== 'postgres') throw new Error('expected postgres');
      expect([name, new Client({ connectionString: config.database.url }).database]).toEqual([
        name,
        name,
      ]);
    }
  });

  it('prefers DATABASE_URL and takes host and port from it', () => {
    const config = loadConfig(
      { DB_TYPE: 'postgres', DATABASE_URL: 'postgresql://u:p@pg.internal:6543/x' },
      noEnvFile,
    );
    expect(config.database).toMatchObject({
      host: 'pg.internal',
      port: 6543,
      url: 'postgresql://u:p@pg.internal:6543/x',
    });
  });

  it('reads the server of a DATABASE_URL as pg does: a socket folder or port in the query', () => {
    // pg (pg-connection-string) lets ?host= and ?port= win over the URL's authority, and takes
    // an empty host after the credentials (`@/db`), the form Cloud SQL's sockets are given in.
    const cases: [string, { host: string; port: number }][] = [
      [
        'postgres://app:pw@/app?host=/cloudsql/proj:region:inst',
        { host: '/cloudsql/proj:region:inst', port: 5432 },
      ],
      [
        'postgresql://app@/app?host=/var/run/postgresql',
        { host: '/var/run/postgresql', port: 5432 },
      ],
      [
        'postgres:///app?host=/var/run/postgresql&user=app',
        { host: '/var/run/postgresql', port: 5432 },
      ],
      [
        'postgres://app:pw@localhost/app?host=/var/run/postgresql&port=5433',
        { host: '/var/run/postgresql', port: 5433 },
      ],
      ['postgres://app:pw@db/app?port=6000', { host: 'db', port: 6000 }],
      [
        'postgres://app:pw@%2Fvar%2Frun%2Fpostgresql/app',
        { host: '/var/run/postgresql', port: 5432 },
      ],
    ];
    for (const [url, target] of cases) {
      const { database } = loadConfig({ DB_TYPE: 'postgres', DATABASE_URL: url }, noEnvFile);
      const client = new Client({ connectionString: url });
      expect([url, database]).toEqual([url, expect.objectContaining(target)]);
      expect([url, client.host, client.port]).toEqual([url, target.host, target.port]);
      // A socket is no loopback address: in a container it is the same container or pod's.
      expect(databaseHostHint(database, true)).toBeUndefined();
    }
  });

  it('rejects a DATABASE_URL that is not a postgres URL without printing it', () => {
    const problems = problemsOf({ DB_TYPE: 'postgres', DATABASE_URL: 'mysql://u:hunter2@h/db' });
    expect(problems).toEqual(['DATABASE_URL: expected a postgres:// or postgresql:// URL']);
  });

  it('rejects a DATABASE_URL with malformed percent-encoding without printing it', () => {
    for (const url of ['postgres://u:hunter2%zz@h/db', 'postgres://u%E0:hunter2@h/db']) {
      const problems = problemsOf({ DB_TYPE: 'postgres', DATABASE_URL: url });
      expect(problems).toEqual(['DATABASE_URL: not a valid URL (malformed percent-encoding)']);
    }
  });

  it('says to percent-encode a password that holds # ? or /, which cut the URL short', () => {
    const encode = 'the user or password holds # ? or /, which must be percent-encoded';
    for (const password of ['ab#cd', '12#cd', '12?cd', '12/cd', 'a/b']) {
      const url = `postgres://app:${password}@db:5432/app`;
      const problems = problemsOf({ DB_TYPE: 'postgres', DATABASE_URL: url });
      expect([password, problems]).toEqual([
        password,
        [expect.stringContaining(`${encode} (%23 %3F %2F)`)],
      ]);
      expect(problems[0]).toMatch(/^DATABASE_URL: not a valid URL/);
      expect(problems.join()).not.toContain(password);
    }
    // Encoded, they are fine; a query string (sslmode) is too, and an @ in a database name.
    const at = 'postgres://app:pw@db:5432/a@b';
    expect(loadConfig({ DB_TYPE: 'postgres', DATABASE_URL: at }, noEnvFile).database).toMatchObject(
      { host: 'db' },
    );
    const fine = 'postgres://app:12%23c%3Fd%2F@db:5432/app?sslmode=disable';
    expect(
      loadConfig({ DB_TYPE: 'postgres', DATABASE_URL: fine }, noEnvFile).database,
    ).toMatchObject({ host: 'db', port: 5432 });
  });

  it('names a bad port or host in DATABASE_URL as such, not as a password to percent-encode', () => {
    const encode = 'percent-encoded';
    const cases: [string, string][] = [
      ['postgres://app:hunter2@db:notaport/app', 'the port after the host must be a number'],
      ['postgres://app:hunter2@db:99999/app', 'the port after the host must be a number'],
      ['postgres://app:hunter2@[::1/app', 'the host is not a valid host name or address'],
      ['postgres://app:hunter2@d b/app', 'the host is not a valid host name or address'],
      ['postgres://app:hunter2@db/app?port=x', '?port= must be a number from 1 to 65535'],
      ['postgres://app:hunter2@db/app?port=70000', '?port= must be a number from 1 to 65535'],
    ];
    for (const [url, reason] of cases) {
      const problems = problemsOf({ DB_TYPE: 'postgres', DATABASE_URL: url });
      expect([url, problems]).toEqual([url, [expect.stringContaining(reason)]]);
      expect(problems[0]).toMatch(/^DATABASE_URL: not a valid URL/);
      expect(problems[0]).not.toContain(encode);
      expect(problems.join()).not.toContain('hunter2');
    }
    // An empty ?port= is no port (pg then uses 5432), and a good one wins over the authority's.
    for (const [url, port] of [
      ['postgres://app:pw@db/app?port=', 5432],
      ['postgres://app:pw@db:5432/app?port=6000', 6000],
    ] as const) {
      expect(
        loadConfig({ DB_TYPE: 'postgres', DATABASE_URL: url }, noEnvFile).database,
      ).toMatchObject({ host: 'db', port });
    }
  });

  it('reads *_FILE secrets, trimming the trailing newline', () => {
    const secret = file('password', 's3cret value\n');
    const config = loadConfig(
      { ...pg, POSTGRES_PASSWORD: '', POSTGRES_PASSWORD_FILE: secret },
      noEnvFile,
    );
    if (config.database.type !== 'postgres') throw new Error('expected postgres');
    expect(decodeURIComponent(new URL(config.database.url).password)).toBe('s3cret value');
  });

  it('reads a *_FILE secret as the postgres image does: every trailing LF trimmed, CR kept', () => {
    // The image's entrypoint reads POSTGRES_PASSWORD_FILE with "$(< file)"; the app must read
    // the same file into the same password, or it cannot log in to a database set up from it.
    const cases = { 'pw\n\n': 'pw', 'pw\r\n': 'pw\r', ' pw ': ' pw ', 'p\nw\n': 'p\nw' };
    for (const [text, password] of Object.entries(cases)) {
      const secret = file('image-password', text);
      const config = loadConfig(
        { ...pg, POSTGRES_PASSWORD: '', POSTGRES_PASSWORD_FILE: secret },
        noEnvFile,
      );
      if (config.database.type !== 'postgres') throw new Error('expected postgres');
      expect(decodeURIComponent(new URL(config.database.url).password)).toBe(password);
    }
  });

  it('rejects setting both X and X_FILE, and unreadable files', () => {
    const secret = file('password2', 'x');
    expect(problemsOf({ ...pg, POSTGRES_PASSWORD_FILE: secret })).toEqual([
      'POSTGRES_PASSWORD: set either POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE, not both',
    ]);
    expect(
      problemsOf({ ...pg, POSTGRES_PASSWORD: '', POSTGRES_PASSWORD_FILE: join(dir, 'nope') }),
    ).toEqual([`POSTGRES_PASSWORD_FILE: ${NOT_READABLE} (ENOENT)`]);
  });

  it('lets a *_FILE in the environment win over the plain value in .env, as every real variable does', () => {
    const secret = file('env-wins-password', 'from-file\n');
    const envFile = file('env-wins.env', 'DB_TYPE=postgres\nPOSTGRES_PASSWORD=from-dotenv\n');
    const parts = { POSTGRES_USER: 'app', POSTGRES_DB: 'app' };
    const password = (env: Record<string, string>) => {
      const { database } = loadConfig({ ...parts, ...env }, envFile);
      if (database.type !== 'postgres') throw new Error('expected postgres');
      return decodeURIComponent(new URL(database.url).password);
    };
    expect(password({ POSTGRES_PASSWORD_FILE: secret })).toBe('from-file');
    const fileInDotenv = file(
      'env-wins-2.env',
      `DB_TYPE=postgres\nPOSTGRES_PASSWORD_FILE=${secret}\n`,
    );
    const { database } = loadConfig({ ...parts, POSTGRES_PASSWORD: 'from-env' }, fileInDotenv);
    expect(database.type === 'postgres' && new URL(database.url).password).toBe('from-env');
    // Both forms from one source stay ambiguous, wherever they come from.
    const both = file('both.env', `POSTGRES_PASSWORD=x\nPOSTGRES_PASSWORD_FILE=${secret}\n`);
    expect(problemsOf({ DB_TYPE: 'postgres', ...parts }, both)).toEqual([
      'POSTGRES_PASSWORD: set either POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE, not both',
    ]);
  });

  it('on SQLite reads no PostgreSQL secret file: a path valid only in a container does not stop it', () => {
    const missing = join(dir, 'run-secrets-pg');
    const secrets = { POSTGRES_PASSWORD_FILE: missing, POSTGRES_USER_FILE: missing };
    for (const type of [{ DB_TYPE: 'sqlite' }, {}]) {
      expect(loadConfig({ ...type, ...secrets }, noEnvFile).database).toMatchObject({
        type: 'sqlite',
      });
    }
    // The .env that also serves the postgres container, beside a real POSTGRES_PASSWORD.
    const envFile = file('shared.env', `POSTGRES_USER_FILE=${missing}\nPOSTGRES_USER=app\n`);
    expect(loadConfig({ DB_TYPE: 'sqlite' }, envFile).database.type).toBe('sqlite');
    expect(problemsOf({ DB_TYPE: 'postgres' }, envFile)).toContain(
      'POSTGRES_USER: set either POSTGRES_USER or POSTGRES_USER_FILE, not both',
    );
  });

  it('names the PostgreSQL variables given while DB_TYPE is not postgres, never their values', () => {
    const url = 'postgres://app:s3cret@db:5432/app';
    for (const type of [{ DB_TYPE: 'sqlite' }, {}]) {
      const { database } = loadConfig({ ...type, DATABASE_URL: url }, noEnvFile);
      expect(database).toMatchObject({ type: 'sqlite', unusedPostgresVariables: ['DATABASE_URL'] });
      expect(JSON.stringify(database)).not.toContain('s3cret');
    }
    // From .env too, *_FILE forms included; an empty variable is not given.
    const envFile = file('pg-on-sqlite.env', 'POSTGRES_HOST=db\nPOSTGRES_PASSWORD_FILE=/run/x\n');
    const { database } = loadConfig({ POSTGRES_DB: 'app', POSTGRES_USER: '' }, envFile);
    expect(database).toMatchObject({
      unusedPostgresVariables: ['POSTGRES_HOST', 'POSTGRES_PASSWORD_FILE', 'POSTGRES_DB'],
    });
    expect(loadConfig({}, noEnvFile).database).not.toHaveProperty('unusedPostgresVariables');
    expect(loadConfig({ ...pg, DATABASE_URL: url }, noEnvFile).database).not.toHaveProperty(
      'unusedPostgresVariables',
    );
  });

  it('names an empty *_FILE, not the variable it stands for', () => {
    const empty = file('empty-secret', '\n');
    expect(problemsOf({ DB_TYPE: 'postgres', DATABASE_URL_FILE: empty })).toEqual([
      'DATABASE_URL_FILE: the file it names is empty',
    ]);
    expect(
      problemsOf({ ...pg, POSTGRES_PASSWORD: undefined!, POSTGRES_PASSWORD_FILE: empty }),
    ).toEqual(['POSTGRES_PASSWORD_FILE: the file it names is empty']);
  });

  it('reports an unreadable DATABASE_URL_FILE alone, not the POSTGRES_* parts it replaces', () => {
    const missing = join(dir, 'no-such-url');
    expect(problemsOf({ DB_TYPE: 'postgres', DATABASE_URL_FILE: missing })).toEqual([
      `DATABASE_URL_FILE: ${NOT_READABLE} (ENOENT)`,
    ]);
    // A folder is unreadable as a file too; from .env the same holds.
    const envFile = file('url-file.env', `DB_TYPE=postgres\nDATABASE_URL_FILE=${dir}\n`);
    expect(problemsOf({}, envFile)).toEqual([`DATABASE_URL_FILE: ${NOT_READABLE} (EISDIR)`]);
  });

  it('never prints a *_FILE value that is not a readable file: it may be the secret itself', () => {
    const url = 'postgres://app:s3cret-pw@db:5432/app';
    const problems = [
      ...problemsOf({ DB_TYPE: 'postgres', DATABASE_URL_FILE: url }),
      ...problemsOf({ ...pg, POSTGRES_PASSWORD: undefined!, POSTGRES_PASSWORD_FILE: 'hunter2' }),
    ];
    expect(problems).toEqual([
      `DATABASE_URL_FILE: ${NOT_READABLE} (ENOENT)`,
      `POSTGRES_PASSWORD_FILE: ${NOT_READABLE} (ENOENT)`,
    ]);
  });

  it('names POSTGRES_HOST when it holds a port, brackets or a socket folder', () => {
    expect(problemsOf({ ...pg, POSTGRES_HOST: 'db:5432' })).toEqual([
      'POSTGRES_HOST: holds a port (host:port); give the host alone and the port in POSTGRES_PORT',
    ]);
    expect(problemsOf({ ...pg, POSTGRES_HOST: '/var/run/postgresql' })).toEqual([
      'POSTGRES_HOST: a socket folder is not supported here; give a host name or address, or the folder in DATABASE_URL as ?host=<folder>',
    ]);
    expect(problemsOf({ ...pg, POSTGRES_HOST: 'db/x' })).toEqual([
      'POSTGRES_HOST: not a host name or address',
    ]);
    expect(loadConfig({ ...pg, POSTGRES_HOST: '[::1]' }, noEnvFile).database).toMatchObject({
      host: '::1',
    });
    expect(loadConfig({ ...pg, POSTGRES_HOST: '::1' }, noEnvFile).database).toMatchObject({
      host: '::1',
    });
  });

  it('still reports problems that do not follow from an unreadable *_FILE', () => {
    const missing = join(dir, 'no-such-password');
    // POSTGRES_USER and POSTGRES_DB are missing whatever the password file holds.
    expect(problemsOf({ DB_TYPE: 'postgres', POSTGRES_PASSWORD_FILE: missing })).toEqual([
      `POSTGRES_PASSWORD_FILE: ${NOT_READABLE} (ENOENT)`,
      expect.stringMatching(/^POSTGRES_USER: required when DB_TYPE=postgres/),
      expect.stringMatching(/^POSTGRES_DB: required when DB_TYPE=postgres/),
    ]);
    expect(
      problemsOf({ DB_TYPE: 'postgres', DATABASE_URL_FILE: missing, POSTGRES_PORT: 'abc' }),
    ).toEqual([
      `DATABASE_URL_FILE: ${NOT_READABLE} (ENOENT)`,
      expect.stringMatching(/^POSTGRES_PORT: expected a whole number/),
    ]);
  });

  it('reads DATABASE_URL_FILE, needing no POSTGRES_* part', () => {
    const url = file('database-url', 'postgres://u:p@pg.internal:6543/x\n');
    const config = loadConfig({ DB_TYPE: 'postgres', DATABASE_URL_FILE: url }, noEnvFile);
    expect(config.database).toMatchObject({
      type: 'postgres',
      host: 'pg.internal',
      port: 6543,
      url: 'postgres://u:p@pg.internal:6543/x',
    });
  });

  it('warns of a variable that looks like its own but is not one, naming the nearest', () => {
    const envFile = file(
      'typos.env',
      // Compose's and the postgres image's own variables are no typos; PROT and the DB_ one are.
      'PROT=3001\nDB_MIGRATION_RUN=false\nAPI_PORT=8080\nCOMPOSE_PROJECT_NAME=x\nPOSTGRES_INITDB_ARGS=--data-checksums\n',
    );
    const config = loadConfig(
      {
        ...pg,
        POSTGRES_HOSTNAME: 'db',
        DATABASE_URI: 'postgres://u:hunter2@db/app',
        // Kubernetes service links, and a shell's variables near our names (HOME, PATH).
        POSTGRES_SERVICE_HOST: '10.0.0.1',
        POSTGRES_PORT_5432_TCP_ADDR: '10.0.0.1',
        // A Service named db (the host name this README uses) gives every pod DB_PORT=tcp://….
        DB_PORT: 'tcp://10.0.0.2:5432',
        DB_SERVICE_PORT: '5432',
        HOME: '/root',
        PATH: '/usr/bin',
      },
      envFile,
    );
    const ignored = 'is not a variable this app reads, so it has no effect';
    expect(config.warnings).toEqual([
      `PROT in .env ${ignored} (did you mean PORT?)`,
      `DB_MIGRATION_RUN in .env ${ignored} (did you mean DB_MIGRATIONS_RUN?)`,
      `POSTGRES_HOSTNAME in the environment ${ignored} (did you mean POSTGRES_HOST?)`,
      `DATABASE_URI in the environment ${ignored} (did you mean DATABASE_URL?)`,
    ]);
    expect(config.warnings.join()).not.toContain('hunter2');
    expect(loadConfig({ ...pg, HOME: '/root' }, noEnvFile).warnings).toEqual([]);
  });

  it('lets real environment variables win over .env', () => {
    const envFile = file('win.env', 'PORT=4000\nHOST=127.0.0.1\n');
    const config = loadConfig({ PORT: '5000' }, envFile);
    expect(config.http.port).toBe(5000);
    expect(config.http.host).toBe('127.0.0.1');
  });

  it('refuses a .env value that dotenv and Docker Compose read differently, unless the environment overrides it', () => {
    const envFile = file('hash.env', 'DB_TYPE=postgres\nPOSTGRES_PASSWORD=ab#cd\n');
    const parts = { POSTGRES_USER: 'app', POSTGRES_DB: 'app' };
    const problems = problemsOf(parts, envFile);
    expect(problems).toEqual([
      expect.stringMatching(/^POSTGRES_PASSWORD in \.env: .*single quotes/),
    ]);
    expect(problems.join()).not.toContain('ab#cd');
    const config = loadConfig({ ...parts, POSTGRES_PASSWORD: 'ab#cd' }, envFile);
    expect(config.database).toMatchObject({ type: 'postgres' });
  });

  it('takes a real *_FILE as overriding .env too: its value there is not refused for Compose', () => {
    const secret = file('mismatch-password', 'from-file\n');
    const envFile = file('hash-file.env', 'DB_TYPE=postgres\nPOSTGRES_PASSWORD=ab#cd\n');
    const env = { POSTGRES_USER: 'app', POSTGRES_DB: 'app', POSTGRES_PASSWORD_FILE: secret };
    const { database } = loadConfig(env, envFile);
    expect(database.type === 'postgres' && new URL(database.url).password).toBe('from-file');
  });

  it.each(['postgres', ' Postgres'])(
    'DB_TYPE=%s: an empty DATABASE_URL in the environment switches off the one in .env',
    (type) => {
      const envFile = file('url-off.env', 'DATABASE_URL=postgres://app:pw@localhost:5432/app\n');
      const env = { ...pg, DB_TYPE: type, DATABASE_URL: '', POSTGRES_HOST: 'db' };
      expect(loadConfig(env, envFile).database).toMatchObject({
        host: 'db',
        hostVariable: 'POSTGRES_HOST',
      });
      // Without the empty variable, the .env URL beside environment parts is still refused.
      const withoutUrl: Record<string, string> = { ...env };
      delete withoutUrl.DATABASE_URL;
      expect(problemsOf(withoutUrl, envFile)).toEqual([
        expect.stringMatching(/^DATABASE_URL: set in \.env/),
      ]);
    },
  );

  it('an empty DATABASE_URL in the environment switches off a DATABASE_URL_FILE in .env too', () => {
    const url = file('dotenv-url', 'postgres://app:pw@localhost:5432/app\n');
    const envFile = file('url-file-off.env', `DATABASE_URL_FILE=${url}\n`);
    const env = { ...pg, DB_TYPE: 'postgres', DATABASE_URL: '', POSTGRES_HOST: 'db' };
    expect(loadConfig(env, envFile).database).toMatchObject({
      host: 'db',
      hostVariable: 'POSTGRES_HOST',
    });
  });

  it('refuses a DATABASE_URL from .env beside POSTGRES_* parts from the environment', () => {
    const envFile = file('url.env', 'DATABASE_URL=postgres://app:pw@localhost:5432/app\n');
    const password = file('pw', 'secret\n');
    const env = { DB_TYPE: 'postgres', POSTGRES_HOST: 'db', POSTGRES_PASSWORD_FILE: password };
    const problems = problemsOf(env, envFile);
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: set in \.env/)]);
    expect(problems[0]).toContain('POSTGRES_HOST, POSTGRES_PASSWORD');
    expect(problems[0]).not.toContain('localhost');
    // Both from the same place: the URL wins over the parts, as documented.
    const bothInFile = file(
      'both.env',
      'DATABASE_URL=postgres://app:pw@localhost/app\nPOSTGRES_HOST=db\n',
    );
    expect(loadConfig({ DB_TYPE: 'postgres' }, bothInFile).database).toMatchObject({
      host: 'localhost',
    });
    const urlInEnv = {
      DB_TYPE: 'postgres',
      POSTGRES_HOST: 'db',
      DATABASE_URL: 'postgres://a:b@h/x',
    };
    expect(loadConfig(urlInEnv, envFile).database).toMatchObject({ host: 'h' });
    // SQLite reads neither.
    expect(loadConfig({ POSTGRES_HOST: 'db' }, envFile).database.type).toBe('sqlite');
  });

  it('never prints secret values in its problems', () => {
    const secret = 'hunter2-do-not-print';
    const problems = problemsOf({
      DB_TYPE: 'postgres',
      POSTGRES_PASSWORD: secret,
      POSTGRES_PORT: secret,
      DATABASE_URL: `mysql://${secret}`,
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).not.toContain(secret);
  });

  it('rejects synchronize and legacy TYPEORM_* variables', () => {
    expect(problemsOf({ DB_SYNCHRONIZE: 'true' })).toEqual([
      expect.stringMatching(/^DB_SYNCHRONIZE: synchronize is not supported/),
    ]);
    expect(problemsOf({ TYPEORM_URL: 'postgres://x' })).toEqual([
      expect.stringMatching(/^TYPEORM_URL: not read .*DB_TYPE and DATABASE_URL/),
    ]);
  });

  it('words ConfigError as one line per problem under a heading', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' }, noEnvFile);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({
        name: 'ConfigError',
        message:
          'Invalid configuration:\n' +
          '  - PORT: expected a whole number from 1 to 65535\n' +
          '  - LOG_LEVEL: expected fatal, error, warn, info, debug, trace or silent',
      });
    }
  });

  it('names the item of a list that is wrong by its index', () => {
    expect(problemsOf({ CORS_ORIGINS: 'https://a.example.com,https://b.example.com/' })).toEqual([
      'CORS_ORIGINS.1: expected a comma-separated list of origins like https://app.example.com, or *',
    ]);
  });

  it('gives the service-link hint only to a *_PORT variable', () => {
    expect(problemsOf({ DB_TYPE: 'postgres', DATABASE_URL: 'tcp://10.0.0.1:5432' })).toEqual([
      'DATABASE_URL: expected a postgres:// or postgresql:// URL',
    ]);
  });

  it('hands every tunable on to the configuration', () => {
    const tunables = {
      DB_MIGRATIONS_RUN: '0',
      DB_PING_TIMEOUT_MS: '250',
      DB_CONNECT_RETRIES: '9',
      SHUTDOWN_DRAIN_MS: '7',
      SHUTDOWN_GRACE_MS: '8',
      RATE_LIMIT_MAX: '11',
      RATE_LIMIT_WINDOW_MS: '12',
    };
    const common = { migrationsRun: false, pingTimeoutMs: 250, connectRetries: 9 };
    const sqlite = loadConfig({ ...tunables, SQLITE_BUSY_TIMEOUT_MS: '0' }, noEnvFile);
    expect(sqlite.database).toMatchObject({ ...common, busyTimeoutMs: 0 });
    expect(sqlite.http).toMatchObject({
      shutdownDrainMs: 7,
      shutdownGraceMs: 8,
      rateLimitMax: 11,
      rateLimitWindowMs: 12,
    });
    const postgres = loadConfig(
      {
        ...pg,
        ...tunables,
        DB_POOL_SIZE: '3',
        DB_CONNECT_TIMEOUT_MS: '200',
        DB_STATEMENT_TIMEOUT_MS: '0',
      },
      noEnvFile,
    );
    expect(postgres.database).toMatchObject({
      ...common,
      poolSize: 3,
      connectTimeoutMs: 200,
      statementTimeoutMs: 0,
    });
  });

  it('warns of no variable the app reads in its *_FILE form', () => {
    const secret = file('warn-password', 'pw\n');
    const env = { ...pg, POSTGRES_PASSWORD: undefined!, POSTGRES_PASSWORD_FILE: secret };
    expect(loadConfig(env, noEnvFile).warnings).toEqual([]);
  });

  it("warns of no variable of the postgres image's, nor another app's with DB_ inside its name", () => {
    const env = {
      ...pg,
      POSTGRES_INITDB_WALDIR: '/wal',
      POSTGRES_HOST_AUTH_METHOD: 'scram-sha-256',
      REDIS_DB_INDEX: '2',
      // Kubernetes service links for UDP and SCTP ports too.
      POSTGRES_PORT_5432_UDP_PROTO: 'udp',
      DB_PORT: 'udp://10.0.0.2:53',
    };
    expect(loadConfig(env, noEnvFile).warnings).toEqual([]);
    // Three edits from PORT is no near miss.
    expect(loadConfig(pg, file('term.env', 'TERM=xterm\n')).warnings).toEqual([]);
  });

  it('warns of a typo with the prefix of CORS_ or RATE_LIMIT_ in the environment', () => {
    const ignored = 'in the environment is not a variable this app reads, so it has no effect';
    expect(
      loadConfig({ CORS_ORIGIN: 'https://a.example.com', RATE_LIMIT_WINDOW: '1' }, noEnvFile)
        .warnings,
    ).toEqual([
      `CORS_ORIGIN ${ignored} (did you mean CORS_ORIGINS?)`,
      `RATE_LIMIT_WINDOW ${ignored} (did you mean RATE_LIMIT_WINDOW_MS?)`,
    ]);
  });

  it('refuses a DATABASE_URL_FILE from .env beside POSTGRES_* parts from the environment', () => {
    const url = file('url-in-file', 'postgres://app:pw@localhost:5432/app\n');
    const envFile = file('url-file-parts.env', `DB_TYPE=postgres\nDATABASE_URL_FILE=${url}\n`);
    expect(problemsOf({ POSTGRES_HOST: 'db' }, envFile)).toEqual([
      expect.stringMatching(
        /^DATABASE_URL: set in \.env, while the environment sets POSTGRES_HOST,/,
      ),
    ]);
  });

  it('names DATABASE_URL_FILE as the ignored URL when both forms are given without DB_TYPE', () => {
    const url = 'postgres://app:pw@db/app';
    expect(
      loadConfig({ DATABASE_URL: url, DATABASE_URL_FILE: '/run/secrets/url' }, noEnvFile).database,
    ).toMatchObject({ type: 'sqlite', ignoredUrl: 'DATABASE_URL_FILE' });
  });
});

describe('loadConfigOrExit', () => {
  const saved = { env: process.env, cwd: process.cwd() };
  afterEach(() => {
    process.env = saved.env;
    process.chdir(saved.cwd);
    jest.restoreAllMocks();
  });

  /** Runs loadConfigOrExit in a folder of its own with `env`; what it printed and exited with. */
  function run(env: Record<string, string>, exitCode?: number, withEnvFolder = false) {
    jest.restoreAllMocks();
    const folder = mkdtempSync(join(tmpdir(), 'config-exit-'));
    if (withEnvFolder) mkdirSync(join(folder, '.env'));
    process.chdir(folder);
    process.env = env;
    const printed: unknown[] = [];
    jest.spyOn(console, 'error').mockImplementation((line: unknown) => void printed.push(line));
    const exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    const outcome = (() => {
      try {
        return loadConfigOrExit(exitCode);
      } catch (error) {
        return error;
      }
    })();
    return { outcome, printed, exited: exit.mock.calls.map(([code]) => code) };
  }

  it('prints the problems and exits with the code given, 1 by default', () => {
    const message = 'Invalid configuration:\n  - PORT: expected a whole number from 1 to 65535';
    expect(run({ PORT: 'x' }, 78)).toMatchObject({ printed: [message], exited: [78] });
    expect(run({ PORT: 'x' })).toMatchObject({ printed: [message], exited: [1] });
  });

  it('returns the configuration when it is valid', () => {
    expect(run({ PORT: '8080' }).outcome).toMatchObject({ http: { port: 8080 } });
  });

  it('throws any other error, without printing or exiting', () => {
    // A folder named .env cannot be read as the file.
    const { outcome, printed, exited } = run({}, 1, true);
    expect(outcome).toMatchObject({ code: 'EISDIR' });
    expect([printed, exited]).toEqual([[], []]);
  });
});
