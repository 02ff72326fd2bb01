import { DataSource, Migration } from 'typeorm';

/** Arbitrary constant shared by every replica: the PostgreSQL advisory lock for migrations. */
const MIGRATION_LOCK_ID = 7_311_202_611;

/**
 * Applies pending migrations exactly once even when several replicas start together:
 * PostgreSQL serialises them with an advisory lock; SQLite's single writer does it there.
 */
export async function runMigrationsUnderLock(dataSource: DataSource): Promise<Migration[]> {
  if (dataSource.options.type !== 'postgres') {
    return dataSource.runMigrations({ transaction: 'each' });
  }
  const lockRunner = dataSource.createQueryRunner();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lockRunner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID])
      .catch(() => undefined);
    await lockRunner.release();
  }
}

/** Names of the migrations not yet applied (empty when the schema is current). */
export async function pendingMigrationNames(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const table = dataSource.options.migrationsTableName ?? 'migrations';
    const executed = (await runner.hasTable(table))
      ? new Set(
          (await runner.query(`SELECT name FROM ${dataSource.driver.escape(table)}`)).map(
            (row: { name: string }) => row.name,
          ),
        )
      : new Set<string>();
    return dataSource.migrations
      .map((m) => m.name ?? m.constructor.name)
      .filter((n) => !executed.has(n));
  } finally {
    await runner.release();
  }
}
