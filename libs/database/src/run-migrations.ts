import { DataSource, Migration } from 'typeorm';

/**
 * Applies pending migrations, one transaction each. `createDataSource` guards this call for
 * every caller: a PostgreSQL advisory lock, so that several replicas starting together run each
 * migration exactly once (SQLite has a single writer), and foreign-key-safe SQLite rebuilds.
 */
export async function runMigrationsUnderLock(dataSource: DataSource): Promise<Migration[]> {
  return dataSource.runMigrations({ transaction: 'each' });
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
