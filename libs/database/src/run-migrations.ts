import { DataSource, Migration, QueryRunner } from 'typeorm';

/**
 * Applies pending migrations, one transaction each on PostgreSQL. `createDataSource` guards this
 * call for every caller: a PostgreSQL advisory lock, so that several replicas starting together
 * run each migration exactly once; on SQLite one transaction holding the write lock from before
 * the pending migrations are read (so two processes on one file apply each once, too) and
 * foreign-key-safe rebuilds; and a refusal of a database migrated by a newer version of the app
 * (see `assertNoUnknownMigrations`).
 */
export async function runMigrationsUnderLock(dataSource: DataSource): Promise<Migration[]> {
  return dataSource.runMigrations({ transaction: 'each' });
}

/** The migration names this build knows, in order. */
function knownMigrationNames(dataSource: DataSource): string[] {
  return dataSource.migrations.map((m) => m.name ?? m.constructor.name);
}

/**
 * The names in the database's migrations table (none when the table does not exist yet), read
 * on `session` when given (the migration lock's), else on a connection of its own.
 */
async function executedMigrationNames(
  dataSource: DataSource,
  session?: QueryRunner,
): Promise<string[]> {
  const runner = session ?? dataSource.createQueryRunner();
  try {
    const table = dataSource.options.migrationsTableName ?? 'migrations';
    if (!(await runner.hasTable(table))) return [];
    const rows: { name: string }[] = await runner.query(
      `SELECT name FROM ${dataSource.driver.escape(table)}`,
    );
    return rows.map((row) => row.name);
  } finally {
    if (!session) await runner.release();
  }
}

/** Names of the migrations not yet applied (empty when the schema is current). */
export async function pendingMigrationNames(dataSource: DataSource): Promise<string[]> {
  const executed = new Set(await executedMigrationNames(dataSource));
  return knownMigrationNames(dataSource).filter((n) => !executed.has(n));
}

/**
 * Names of applied migrations this build does not know: a newer version of the app migrated the
 * database. TypeORM ignores them and calls such a schema up to date.
 */
export async function unknownMigrationNames(
  dataSource: DataSource,
  session?: QueryRunner,
): Promise<string[]> {
  const known = new Set(knownMigrationNames(dataSource));
  return (await executedMigrationNames(dataSource, session)).filter((n) => !known.has(n));
}

/** The message for migrations not yet applied: which ones, and the commands that apply them. */
export function pendingMigrationsMessage(pending: string[]): string {
  return (
    `pending migrations: ${pending.join(', ')} ` +
    '(apply them with npm run migration:run, or docker compose run --rm migrate)'
  );
}

/** The message for a database that a newer version of the app migrated. */
export function unknownMigrationsMessage(what: string, unknown: string[]): string {
  return (
    `${what} has migrations this build does not know (${unknown.join(', ')}): it was migrated ` +
    'by a newer version of the app; use that version (or a newer one)'
  );
}

/**
 * A migration run refused for a reason the user can act on (the database is newer than this
 * build, another process holds the lock): the TypeORM CLI prints its message on one line, not a
 * stack as for a migration that failed.
 */
export class MigrationRefusal extends Error {}

/** Refuses a database migrated by a newer version of the app: its schema is not ours. */
export async function assertNoUnknownMigrations(
  dataSource: DataSource,
  session?: QueryRunner,
): Promise<void> {
  const unknown = await unknownMigrationNames(dataSource, session);
  if (unknown.length > 0)
    throw new MigrationRefusal(unknownMigrationsMessage('The database', unknown));
}

/** Why migration commands refuse SQLITE_PATH=:memory: (exit 0 with nothing kept would mislead). */
export const IN_MEMORY_MIGRATIONS_MESSAGE =
  'SQLITE_PATH=:memory: is a database that lives only in this process: migrations applied here ' +
  'would be gone when it exits. Set SQLITE_PATH to a file (the API migrates its own in-memory ' +
  'database at start, with DB_MIGRATIONS_RUN=true)';
