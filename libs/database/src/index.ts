export {
  buildDataSourceOptions,
  createDataSource,
  MIGRATIONS_TABLE,
} from './build-data-source-options';
export { connectWithRetries } from './connect-with-retries';
export { DatabaseModule } from './database.module';
export { ENTITIES } from './entities';
export { classifyDatabaseError } from './database-errors';
export type { ClassifiedDatabaseError, DatabaseErrorKind } from './database-errors';
export {
  isDatabaseUnavailableError,
  isTransientConnectionError,
  postgresTargetOf,
  withConnectionTarget,
} from './connection-errors';
export type { PostgresTarget } from './connection-errors';
export { JSON_ESCAPED_NUL, LONE_SURROGATE } from './jsonb-text';
export { MIGRATION_LOCK_ID } from './migration-guards';
export { pingDatabase } from './ping-database';
export { parseSqliteDatetime, parseSqliteUtcDatetime, readSqliteDatetime } from './sqlite-datetime';
export type { ParsedSqliteDatetime } from './sqlite-datetime';
export {
  pendingMigrationNames,
  pendingMigrationsMessage,
  runMigrationsUnderLock,
  unknownMigrationNames,
  unknownMigrationsMessage,
} from './run-migrations';
export { SQLITE_MIGRATIONS } from './migrations/sqlite';
export { sqliteDriver, sqliteDriverPackage } from './sqlite-driver';
export { POSTGRES_MIGRATIONS } from './migrations/postgres';
