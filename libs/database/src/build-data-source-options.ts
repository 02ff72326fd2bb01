import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions, Driver } from 'typeorm';
import { DatabaseConfig } from '@app/config';
import { ENTITIES } from './entities';
import { guardMigrations, Warn } from './migration-guards';
import { POSTGRES_MIGRATIONS } from './migrations/postgres';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';
import { readSqliteDatetime } from './sqlite-datetime';
import { sqliteDriver } from './sqlite-driver';
import { withSqlitePath } from './sqlite-open-errors';

export const MIGRATIONS_TABLE = 'migrations';

/**
 * The one place that knows which dialect is in use: the app, the TypeORM CLI and the tests
 * all build their DataSource from this function.
 */
export function buildDataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    synchronize: false,
    migrationsRun: false,
    dropSchema: false,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    logging: false,
  } as const;

  if (config.type === 'sqlite') {
    if (config.path !== ':memory:') createFolderOf(config.path);
    return {
      ...common,
      type: 'better-sqlite3',
      driver: sqliteDriver(),
      database: config.path,
      enableWAL: true,
      // In WAL mode NORMAL syncs at checkpoints instead of at every commit: the database cannot
      // be corrupted, but a power cut (not a process crash) may lose the last commits.
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('synchronous = NORMAL');
      },
      timeout: config.busyTimeoutMs,
      migrations: SQLITE_MIGRATIONS,
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: config.url,
    applicationName: 'nest-tasks',
    connectTimeoutMS: config.connectTimeoutMs,
    poolSize: config.poolSize,
    // connectTimeoutMS is pg's connectionTimeoutMillis: it also bounds the wait for a free
    // pooled connection, so an exhausted pool fails fast (503) instead of queueing forever.
    // query_timeout is the client-side twin of statement_timeout: it also fires when the
    // server has stopped answering altogether (paused, blackholed), where the server cannot.
    extra: {
      statement_timeout: config.statementTimeoutMs || undefined,
      query_timeout: config.statementTimeoutMs ? config.statementTimeoutMs + 1000 : undefined,
    },
    migrations: POSTGRES_MIGRATIONS,
  };
}

/** Creates the database file's folder if missing; a failure names the file and the reason. */
function createFolderOf(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw withSqlitePath(error, path);
  }
}

/**
 * Creates (does not connect) the DataSource. Entity `Date` columns become `timestamptz` on
 * PostgreSQL (UTC instants whatever the server or process time zone; Date parameters are sent
 * in UTC) and ISO-8601 UTC text on SQLite, so the entities stay free of dialect-specific column
 * types. On SQLite every zone-less time value is read as UTC too (`readSqliteDatetimesAsUtc`).
 * Running and reverting migrations is guarded (lock, SQLite foreign keys): see `guardMigrations`.
 */
export function createDataSource(options: DataSourceOptions, warn?: Warn): DataSource {
  const dataSource = new DataSource(options);
  if (options.type === 'better-sqlite3') readSqliteDatetimesAsUtc(dataSource.driver);
  if (options.type === 'postgres') {
    const driver = dataSource.driver as unknown as {
      normalizeType(column: { type?: unknown }): string;
      postgres: { defaults: { parseInputDatesAsUTC: boolean } };
    };
    const normalizeType = driver.normalizeType.bind(driver);
    driver.normalizeType = (column) =>
      column.type === Date ? 'timestamp with time zone' : normalizeType(column);
    // pg writes a Date parameter in local time with getTimezoneOffset(), which V8 gives in
    // whole minutes: where the zone's offset then had seconds (New York's -04:56:02 before
    // 1883), the stored instant was off by them. Written in UTC, it is exact in every zone.
    driver.postgres.defaults.parseInputDatesAsUTC = true;
  }
  guardMigrations(dataSource, warn);
  return dataSource;
}

/**
 * TypeORM reads a SQLite `Date` column's text as UTC only in the forms it writes (and a few
 * others); the rest, such as `2026-01-02 03:04:05.5` or `2026-01-02T03:04:05.123456` written by
 * another tool, go to V8's parser, which reads them in the process's time zone. The driver reads
 * every SQLite time value as `db:copy` does instead (`readSqliteDatetime`: UTC unless it names a
 * zone); anything else (numbers, text that is no date) is left to TypeORM.
 */
function readSqliteDatetimesAsUtc(driver: Driver): void {
  const prepareHydratedValue = driver.prepareHydratedValue.bind(driver);
  driver.prepareHydratedValue = (value, column) => {
    const date =
      typeof value === 'string' &&
      (column.type === Date || column.type === 'datetime') &&
      !column.transformer &&
      readSqliteDatetime(value);
    return date || prepareHydratedValue(value, column);
  };
}
