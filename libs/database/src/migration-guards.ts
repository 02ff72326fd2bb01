import { resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, MigrationExecutor, QueryRunner } from 'typeorm';
import type { BetterSqlite3DataSourceOptions } from 'typeorm/driver/better-sqlite3/BetterSqlite3DataSourceOptions';
import { assertNoUnknownMigrations, MigrationRefusal } from './run-migrations';
import { foreignKeysChecked } from './sqlite-foreign-keys';

/** Arbitrary constant shared by every replica: the PostgreSQL advisory lock for migrations. */
export const MIGRATION_LOCK_ID = 7_311_202_611;
/** better-sqlite3's busy timeout when none is configured (TypeORM's default `timeout`). */
const SQLITE_DEFAULT_BUSY_TIMEOUT_MS = 5000;
const LOCK_POLL_MS = 250;
/** How long a run waits for the lock before it says that it waits. */
const LOCK_WAIT_NOTICE_MS = 2000;

/** Where the guards say that a run waits (the app passes its logger; the CLIs print). */
export type Warn = (message: string) => void;

type Run<T> = (session?: QueryRunner) => Promise<T>;
/** Whether a run may change the schema or data (what it would apply or revert), read first. */
type MayChange = (session: QueryRunner) => Promise<boolean>;

/**
 * Makes `runMigrations` and `undoLastMigration` safe for every caller (the app at boot, the
 * TypeORM CLI, the tools): on PostgreSQL they run under an advisory lock, so replicas starting
 * together apply each migration once; on SQLite they run in one transaction that holds the
 * database's write lock from before the migrations table is read, with foreign keys off, verified
 * with `PRAGMA foreign_key_check` before the commit (see {@link guardSqlite}). Running them, or
 * `showMigrations`, on a database that a newer version of the app migrated is refused (TypeORM
 * would call it current, and revert would fail on a migration it cannot find).
 */
export function guardMigrations(dataSource: DataSource, warn: Warn = console.warn): void {
  const guard = <T>(run: Run<T>, mayChange: MayChange): Promise<T> =>
    dataSource.options.type === 'postgres'
      ? underAdvisoryLock(dataSource, run, warn)
      : guardSqlite(dataSource, run, warn, mayChange);
  dataSource.runMigrations = (options) =>
    guard(
      async (session) => {
        await assertNoUnknownMigrations(dataSource, session);
        return executor(dataSource, session, options).executePendingMigrations();
      },
      async (session) =>
        (await executor(dataSource, session, options).getPendingMigrations()).length > 0,
    );
  dataSource.undoLastMigration = (options) =>
    guard(
      async (session) => {
        await assertNoUnknownMigrations(dataSource, session);
        return executor(dataSource, session, options).undoLastMigration();
      },
      async () => true,
    );
  // migration:show would list this build's migrations as applied and exit 0.
  const showMigrations = dataSource.showMigrations.bind(dataSource);
  dataSource.showMigrations = async () => {
    await assertNoUnknownMigrations(dataSource);
    return showMigrations();
  };
}

/**
 * TypeORM's own executor, as `runMigrations` and `undoLastMigration` build it, but on the lock's
 * session when there is one: a pool of one connection (DB_POOL_SIZE=1) has no second one for it.
 */
function executor(
  dataSource: DataSource,
  session: QueryRunner | undefined,
  options?: { transaction?: 'all' | 'none' | 'each'; fake?: boolean },
): MigrationExecutor {
  const migrationExecutor = new MigrationExecutor(dataSource, session);
  migrationExecutor.transaction =
    options?.transaction ?? dataSource.options.migrationsTransactionMode ?? 'all';
  migrationExecutor.fake = options?.fake ?? false;
  return migrationExecutor;
}

/**
 * Polls `pg_try_advisory_lock` on a dedicated session: a blocking `pg_advisory_lock` would be
 * cancelled by `statement_timeout` while another replica runs a long migration.
 */
async function underAdvisoryLock<T>(dataSource: DataSource, run: Run<T>, warn: Warn): Promise<T> {
  const lockRunner = dataSource.createQueryRunner();
  try {
    const started = Date.now();
    let told = false;
    for (;;) {
      const [{ locked }] = await lockRunner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        MIGRATION_LOCK_ID,
      ]);
      if (locked) break;
      if (!told && Date.now() - started >= LOCK_WAIT_NOTICE_MS) {
        told = true;
        warn(await lockWaitMessage(lockRunner));
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    const restoreTimeouts = await withoutRequestTimeouts(lockRunner);
    const unlock = async () => {
      await restoreTimeouts();
      await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    };
    let result: T;
    try {
      result = await run(lockRunner);
    } catch (error) {
      // The session may have died with the run (its lock goes with it): what is reported is why
      // the run failed, not the clean-up that could not follow.
      await unlock().catch(() => undefined);
      throw error;
    }
    await unlock();
    return result;
  } finally {
    await lockRunner.release();
  }
}

/**
 * Lifts the request timeouts (DB_STATEMENT_TIMEOUT_MS: the server's `statement_timeout` and pg's
 * client-side `query_timeout`) on the session that runs the migrations: an index build on a big
 * table may take minutes. Returns what puts them back before the session goes back to the pool.
 */
async function withoutRequestTimeouts(session: QueryRunner): Promise<() => Promise<void>> {
  const client = (await session.connect()) as { connectionParameters?: { query_timeout?: number } };
  const parameters = client.connectionParameters;
  const queryTimeout = parameters?.query_timeout;
  if (parameters) parameters.query_timeout = undefined;
  await session.query('SET statement_timeout = 0');
  return async () => {
    await session.query('RESET statement_timeout');
    if (parameters) parameters.query_timeout = queryTimeout;
  };
}

/** Says who holds the migration lock (its backend pid), so that a stuck holder can be found. */
async function lockWaitMessage(session: QueryRunner): Promise<string> {
  const holders: { pid: number }[] = await session.query(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND ((classid::bigint << 32) | objid::bigint) = $1`,
    [MIGRATION_LOCK_ID],
  );
  const by = holders.length > 0 ? ` (PostgreSQL pid ${holders[0].pid})` : '';
  return (
    `waiting for the migration lock, held by another session${by}: another replica or ` +
    '`migration:run` is applying migrations; this run goes on when it is done'
  );
}

/**
 * SQLite's migration lock is its write lock. Two processes on one file (the migrate one-shot or
 * `migration:run` beside an app started with DB_MIGRATIONS_RUN=true) would otherwise both read
 * the migrations table, both find the same migrations pending, and the second would fail (`table
 * "migrations" already exists`) or revert the same migration again. So the whole run is one
 * `BEGIN IMMEDIATE` transaction, taken before anything is read: the second run waits for the
 * first to commit, then finds nothing pending. A migration that fails rolls back the whole run.
 *
 * TypeORM rebuilds SQLite tables for most ALTERs (`temporary_x`, copy, `DROP x`, rename). With
 * foreign keys on, `DROP x` deletes every `ON DELETE CASCADE` child. TypeORM 1.x turns them off
 * for `runMigrations`, but not for `undoLastMigration` (its `PRAGMA` comes inside the
 * transaction, where SQLite ignores it), nor with `transaction: 'none'`, and it never checks the
 * result. Here they are off (set before the transaction begins, as SQLite requires) for the whole
 * run, the commit is refused while `foreign_key_check` reports a violation the run added (see
 * {@link foreignKeysChecked}), and they are on again afterwards whatever happened. TypeORM's own
 * per-migration transactions are not started: it sees the guard's transaction as active.
 *
 * `legacy_alter_table` is on for the run too (and put back afterwards): since SQLite 3.26 `ALTER
 * TABLE x RENAME TO temporary_x` also rewrites the REFERENCES of x's children, unless that flag is
 * on while foreign keys are off. The down() that migration:generate writes for a rebuild renames
 * the parent away first, so its children would point at `temporary_x`, then dropped, and the
 * foreign key check would refuse the revert. A migration that renames a parent table for good
 * turns the flag off around its RENAME, so that the children follow.
 */
async function guardSqlite<T>(
  dataSource: DataSource,
  run: Run<T>,
  warn: Warn,
  mayChange: MayChange,
): Promise<T> {
  const runner = dataSource.createQueryRunner(); // better-sqlite3: the one shared connection
  if (runner.isTransactionActive) {
    throw new Error('SQLite migrations cannot start inside a transaction (foreign keys stay on)');
  }
  const [{ legacy_alter_table: legacyAlterTable }] = await runner.query(
    'PRAGMA legacy_alter_table',
  );
  await runner.query('PRAGMA foreign_keys = OFF');
  await runner.query('PRAGMA legacy_alter_table = ON');
  try {
    await beginImmediate(runner, dataSource.options as BetterSqlite3DataSourceOptions, warn);
    try {
      const result = (await mayChange(runner))
        ? await foreignKeysChecked(runner, () => run(runner))
        : await run(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      // The migration's own error is the one to report, even if the rollback fails too.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.query(`PRAGMA legacy_alter_table = ${legacyAlterTable ? 'ON' : 'OFF'}`);
    await runner.query('PRAGMA foreign_keys = ON');
  }
}

/**
 * Takes SQLite's write lock with `BEGIN IMMEDIATE` (TypeORM's `BEGIN TRANSACTION` is deferred: it
 * would take the lock only at the first write, after the reads), then starts TypeORM's
 * transaction on `runner` without its own BEGIN, so that TypeORM commits or rolls back this one.
 * SQLite's busy handler would wait in silence, blocking the process, so the lock is polled
 * instead, on the driver's connection (TypeORM's CLI would log every busy attempt as an error),
 * with the busy timeout off meanwhile: after LOCK_WAIT_NOTICE_MS the run says that it waits, and
 * it gives up after the busy timeout (SQLITE_BUSY_TIMEOUT_MS), as any other SQLite writer does.
 */
async function beginImmediate(
  runner: QueryRunner,
  options: BetterSqlite3DataSourceOptions,
  warn: Warn,
): Promise<void> {
  const busyTimeoutMs = options.timeout ?? SQLITE_DEFAULT_BUSY_TIMEOUT_MS;
  const db = (await runner.connect()) as BetterSqlite3.Database;
  db.pragma('busy_timeout = 0');
  try {
    const started = Date.now();
    let told = false;
    for (;;) {
      try {
        db.exec('BEGIN IMMEDIATE');
        break;
      } catch (error) {
        if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw error;
      }
      const waited = Date.now() - started;
      if (waited >= busyTimeoutMs) {
        throw new MigrationRefusal(
          `${sqliteLockName(options)} is still held by another connection after ` +
            `SQLITE_BUSY_TIMEOUT_MS (${busyTimeoutMs} ms): another process is applying ` +
            'migrations or writing; run again once it is done, or raise SQLITE_BUSY_TIMEOUT_MS',
        );
      }
      if (!told && waited >= LOCK_WAIT_NOTICE_MS) {
        told = true;
        warn(
          `waiting for ${sqliteLockName(options)}, held by another connection: another process ` +
            'is applying migrations or writing; this run goes on when it is done (for up to ' +
            `SQLITE_BUSY_TIMEOUT_MS, ${busyTimeoutMs} ms)`,
        );
      }
      await sleep(LOCK_POLL_MS);
    }
  } finally {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  }
  const query = runner.query;
  runner.query = function (this: QueryRunner, sql: string, ...rest: unknown[]) {
    if (sql === 'BEGIN TRANSACTION') return Promise.resolve(); // begun above
    return (query as (...args: unknown[]) => Promise<unknown>).call(this, sql, ...rest);
  } as QueryRunner['query'];
  try {
    await runner.startTransaction();
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  } finally {
    runner.query = query;
  }
}

function sqliteLockName(options: BetterSqlite3DataSourceOptions): string {
  return `the migration lock (the SQLite write lock on ${resolve(options.database)})`;
}
