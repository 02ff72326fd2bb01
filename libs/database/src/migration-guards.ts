import { DataSource, QueryRunner } from 'typeorm';
import { assertNoUnknownMigrations } from './run-migrations';

/** Arbitrary constant shared by every replica: the PostgreSQL advisory lock for migrations. */
export const MIGRATION_LOCK_ID = 7_311_202_611;
const LOCK_POLL_MS = 250;

type Run<T> = () => Promise<T>;

/**
 * Makes `runMigrations` and `undoLastMigration` safe for every caller (the app at boot, the
 * TypeORM CLI, the tools): on PostgreSQL they run under an advisory lock, so replicas starting
 * together apply each migration once; on SQLite they run with foreign keys off and are verified
 * with `PRAGMA foreign_key_check` before each commit (see {@link guardSqlite}). Running them on a
 * database that a newer version of the app migrated is refused (TypeORM would call it current).
 */
export function guardMigrations(dataSource: DataSource): void {
  const guard = <T>(run: Run<T>): Promise<T> =>
    dataSource.options.type === 'postgres'
      ? underAdvisoryLock(dataSource, run)
      : guardSqlite(dataSource, run);
  const runMigrations = dataSource.runMigrations.bind(dataSource);
  const undoLastMigration = dataSource.undoLastMigration.bind(dataSource);
  dataSource.runMigrations = (options) =>
    guard(async () => {
      await assertNoUnknownMigrations(dataSource);
      return runMigrations(options);
    });
  dataSource.undoLastMigration = (options) => guard(() => undoLastMigration(options));
}

/**
 * Polls `pg_try_advisory_lock` on a dedicated session: a blocking `pg_advisory_lock` would be
 * cancelled by `statement_timeout` while another replica runs a long migration.
 */
async function underAdvisoryLock<T>(dataSource: DataSource, run: Run<T>): Promise<T> {
  const lockRunner = dataSource.createQueryRunner();
  try {
    for (;;) {
      const [{ locked }] = await lockRunner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        MIGRATION_LOCK_ID,
      ]);
      if (locked) break;
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    try {
      return await run();
    } finally {
      await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await lockRunner.release();
  }
}

/**
 * TypeORM rebuilds SQLite tables for most ALTERs (`temporary_x`, copy, `DROP x`, rename). With
 * foreign keys on, `DROP x` deletes every `ON DELETE CASCADE` child. TypeORM 1.x turns them off
 * for `runMigrations`, but not for `undoLastMigration` (its `PRAGMA` comes inside the
 * transaction, where SQLite ignores it), nor with `transaction: 'none'`, and leaves them off
 * after a failed migration; it never checks the result. Here they are off (outside any
 * transaction) for the whole run, every commit is refused while `foreign_key_check` reports a
 * violation, and they are on again afterwards whatever happened.
 */
async function guardSqlite<T>(dataSource: DataSource, run: Run<T>): Promise<T> {
  const runner = dataSource.createQueryRunner(); // better-sqlite3: the one shared connection
  if (runner.isTransactionActive) {
    throw new Error('SQLite migrations cannot start inside a transaction (foreign keys stay on)');
  }
  const commit = runner.commitTransaction.bind(runner);
  const afterMigration = runner.afterMigration.bind(runner);
  await runner.query('PRAGMA foreign_keys = OFF');
  runner.commitTransaction = async () => {
    await assertForeignKeysHold(runner);
    await commit();
  };
  // TypeORM turns foreign keys back on between two migrations of one run: keep them off.
  runner.afterMigration = async () => undefined;
  try {
    const result = await run();
    await assertForeignKeysHold(runner);
    return result;
  } finally {
    runner.commitTransaction = commit;
    runner.afterMigration = afterMigration;
    await runner.query('PRAGMA foreign_keys = ON');
  }
}

async function assertForeignKeysHold(runner: QueryRunner): Promise<void> {
  const violations: { table: string; rowid: number; parent: string }[] = await runner.query(
    'PRAGMA foreign_key_check',
  );
  if (violations.length === 0) return;
  const sample = violations
    .slice(0, 5)
    .map((v) => `${v.table} rowid ${v.rowid} -> ${v.parent}`)
    .join('; ');
  throw new Error(
    `migration left ${violations.length} foreign key violation(s), rolled back: ${sample}`,
  );
}
