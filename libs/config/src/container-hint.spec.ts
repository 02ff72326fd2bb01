import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseConfig } from './config.types';
import {
  containerLocalhostHint,
  databaseHostHint,
  ignoredUrlHint,
  isLoopbackHost,
  isRunningInContainer,
  listenHostHint,
} from './container-hint';
import { loadConfig } from './load-config';
import { redactSecrets } from './redact-secrets';

describe('isRunningInContainer', () => {
  const none = () => false;

  it('is false on a plain machine', () => {
    expect(isRunningInContainer({}, none)).toBe(false);
  });

  it.each(['/.dockerenv', '/run/.containerenv'])('is true when %s exists', (marker) => {
    expect(isRunningInContainer({}, (path) => path === marker)).toBe(true);
  });

  it('is true when the container variable is set', () => {
    expect(isRunningInContainer({ container: 'podman' }, none)).toBe(true);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'localhost.',
    'db.localhost',
    '127.0.0.1',
    '127.1.2.3',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    // Forms the resolver takes for this machine too: the unspecified address, IPv4 shorthand,
    // and IPv4-mapped IPv6.
    '0.0.0.0',
    '::',
    '127.1',
    '2130706433',
    '::ffff:127.0.0.1',
    '[::ffff:7f00:1]',
    // Blanks around a host are trimmed, as the configuration trims it.
    ' localhost ',
  ])('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));

  it.each([
    'db',
    'postgres.internal',
    '10.0.0.5',
    '::2',
    'localhost.example.com',
    '128.0.0.1',
    '::ffff:10.0.0.5',
    'db_1',
    // A name that starts like 127.x, and an IPv6 address that starts like a mapped 127.x.
    '127.example.com',
    '::ffff:7f00:1:2',
  ])('%s is not loopback', (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe('containerLocalhostHint', () => {
  it.each(['localhost', '127.0.0.1', '::1'])('warns for %s in a container', (host) => {
    const hint = containerLocalhostHint(host, true);
    expect(hint).toContain(`host is ${host}`);
    expect(hint).toContain('localhost is the container itself');
    expect(hint).toContain('POSTGRES_HOST=db');
  });

  it('names the host part of DATABASE_URL when the host came from it (POSTGRES_HOST is ignored then)', () => {
    const hint = containerLocalhostHint('localhost', true, 'DATABASE_URL');
    expect(hint).toContain('the host part of DATABASE_URL, after the @: …@db:5432/name');
    expect(hint).not.toContain('POSTGRES_HOST');
  });

  it.each(['DATABASE_URL', 'DATABASE_URL_FILE'] as const)(
    'gives an example for %s that log redaction leaves readable',
    (variable) => {
      // Every start-up error goes through redactSecrets, which masks any URL's password: an
      // example with user:password@ would read user:[REDACTED]@.
      const hint = containerLocalhostHint('localhost', true, variable)!;
      expect(redactSecrets(hint, [])).toBe(hint);
    },
  );

  it('says nothing outside a container, where localhost is right', () => {
    expect(containerLocalhostHint('localhost', false)).toBeUndefined();
  });

  it('says nothing for a service name in a container', () => {
    expect(containerLocalhostHint('db', true)).toBeUndefined();
  });
});

describe('listenHostHint (HOST, the address the API listens on)', () => {
  it.each(['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2'])(
    'warns for HOST=%s in a container: published ports and other containers cannot reach it',
    (host) => {
      const hint = listenHostHint(host, true);
      expect(hint).toContain(`HOST=${host}`);
      expect(hint).toContain('only from inside this container');
      expect(hint).toContain('HOST=0.0.0.0');
    },
  );

  it.each(['0.0.0.0', '::', '[::]', 'api', '172.18.0.3'])(
    'says nothing for HOST=%s (every address, or a reachable one)',
    (host) => expect(listenHostHint(host, true)).toBeUndefined(),
  );

  it('says nothing outside a container, where 127.0.0.1 keeps the API on this machine', () => {
    expect(listenHostHint('127.0.0.1', false)).toBeUndefined();
  });
});

describe('databaseHostHint (the start-up warning)', () => {
  const postgres = (host: string) => ({ type: 'postgres', host, port: 5432 }) as DatabaseConfig;

  it('warns for localhost in a container, allowing for a database in the same pod', () => {
    const hint = databaseHostHint(postgres('localhost'), true);
    expect(hint).toContain('host is localhost');
    expect(hint).toContain('unless PostgreSQL runs in this same container or pod');
    expect(hint).toContain('POSTGRES_HOST=db');
  });

  it('names DATABASE_URL for a host taken from it, as loadConfig reports it', () => {
    const { database } = loadConfig(
      { DB_TYPE: 'postgres', DATABASE_URL: 'postgres://app:pw@localhost:5432/app' },
      '/nonexistent/.env',
    );
    const hint = databaseHostHint(database, true);
    expect(hint).toContain('the host part of DATABASE_URL');
    expect(hint).not.toContain('POSTGRES_HOST');
    expect(hint).not.toContain('pw@');
  });

  it('names DATABASE_URL_FILE for a host taken from that file (there is no DATABASE_URL to edit)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-hint-'));
    const urlFile = join(dir, 'url');
    writeFileSync(urlFile, 'postgres://app:pw@localhost:5432/app\n');
    try {
      const { database } = loadConfig(
        { DB_TYPE: 'postgres', DATABASE_URL_FILE: urlFile },
        '/nonexistent/.env',
      );
      const hint = databaseHostHint(database, true);
      expect(hint).toContain('the host part of the URL in the DATABASE_URL_FILE file');
      expect(hint).not.toContain('pw@');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('says nothing outside a container, for a service name, or for SQLite', () => {
    expect(databaseHostHint(postgres('localhost'), false)).toBeUndefined();
    expect(databaseHostHint(postgres('db'), true)).toBeUndefined();
    expect(databaseHostHint({ type: 'sqlite' } as DatabaseConfig, true)).toBeUndefined();
  });
});

describe('ignoredUrlHint (a PostgreSQL URL without DB_TYPE)', () => {
  const load = (env: Record<string, string>) => loadConfig(env, '/nonexistent/.env').database;
  const url = 'postgres://app:pw@db:5432/app';

  it('warns that the app runs on SQLite, naming the variable and never the URL', () => {
    const hint = ignoredUrlHint(load({ DATABASE_URL: url }));
    expect(hint).toBe(
      'DATABASE_URL is set but DB_TYPE is not, so the app uses SQLite (the default) at ./data/app.sqlite; set DB_TYPE=postgres to use PostgreSQL',
    );
  });

  it('says nothing when DB_TYPE is given, either way, or without a URL', () => {
    expect(ignoredUrlHint(load({ DATABASE_URL: url, DB_TYPE: 'sqlite' }))).toBeUndefined();
    expect(ignoredUrlHint(load({ DATABASE_URL: url, DB_TYPE: 'postgres' }))).toBeUndefined();
    expect(ignoredUrlHint(load({ POSTGRES_HOST: 'db' }))).toBeUndefined();
  });
});
