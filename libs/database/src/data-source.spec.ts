import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { typeOrmModuleOptions } from './database.module';
import { ENTITIES } from './entities';

const NEST_ONLY_KEYS = ['retryAttempts', 'retryDelay', 'toRetry', 'verboseRetryLog'];

const FIXTURES: Record<string, Record<string, string>> = {
  sqlite: { DB_TYPE: 'sqlite', SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'ds-')), 'a.sqlite') },
  'postgres via URL': {
    DB_TYPE: 'postgres',
    DATABASE_URL: 'postgres://app:secret@db.example:6543/tasks',
    DB_POOL_SIZE: '7',
  },
  'postgres via parts': {
    DB_TYPE: 'postgres',
    POSTGRES_HOST: 'db',
    POSTGRES_USER: 'app',
    POSTGRES_PASSWORD: 'p@ss:w/rd',
    POSTGRES_DB: 'tasks',
    DB_STATEMENT_TIMEOUT_MS: '0',
  },
};

/** The TypeORM CLI's DataSource, loaded afresh with `env` as the whole environment. */
function cliDataSource(env: Record<string, string>): DataSource {
  const saved = process.env;
  process.env = { ...env };
  try {
    let dataSource: DataSource | undefined;
    jest.isolateModules(() => {
      dataSource = require('./data-source').default;
    });
    return dataSource!;
  } finally {
    process.env = saved;
  }
}

/** Classes by name: the isolated CLI module graph has its own copies of the same classes. */
function comparable(options: object): unknown {
  return JSON.parse(
    JSON.stringify(options, (_key, value) =>
      typeof value === 'function'
        ? `class ${value.name}`
        : value === undefined
          ? '<undefined>'
          : value,
    ),
  );
}

describe('app and TypeORM CLI options (one source of truth)', () => {
  it.each(Object.entries(FIXTURES))('are deep-equal for %s', (_name, env) => {
    const app = { ...typeOrmModuleOptions(loadConfig(env, '/nonexistent/.env').database) };
    for (const key of NEST_ONLY_KEYS) delete (app as Record<string, unknown>)[key];
    const cli = cliDataSource(env);
    expect(comparable(cli.options)).toEqual(comparable(app));
    expect(cli.options).toMatchObject({ synchronize: false, migrationsRun: false });
    expect(comparable(cli.options.entities!)).toEqual(ENTITIES.map((e) => `class ${e.name}`));
  });
});

describe('TypeORM 1.0 driver options (PITFALLS 36)', () => {
  it('map DB_TYPE=sqlite to better-sqlite3 with `timeout`, none of the removed sqlite options', () => {
    const options = cliDataSource(FIXTURES.sqlite).options as unknown as Record<string, unknown>;
    expect(options.type).toBe('better-sqlite3');
    expect(options.timeout).toEqual(expect.any(Number));
    for (const removed of ['busyTimeout', 'flags', 'busyErrorRetry']) {
      expect(options).not.toHaveProperty(removed);
    }
  });

  it('map DB_TYPE=postgres to postgres with a bounded connect timeout', () => {
    const options = cliDataSource(FIXTURES['postgres via URL']).options as unknown as Record<
      string,
      unknown
    >;
    expect(options.type).toBe('postgres');
    expect(options.connectTimeoutMS).toEqual(expect.any(Number));
    expect(options.connectTimeoutMS).toBeGreaterThan(0);
  });
});
