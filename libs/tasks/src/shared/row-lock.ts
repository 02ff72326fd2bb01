import { EntityManager, ObjectLiteral, Repository } from 'typeorm';
import { classifyDatabaseError } from '@app/database';
import { KeyedLock } from './keyed-lock';

/** Tries of a locked section that PostgreSQL ends to break a deadlock, before the client hears. */
const ATTEMPTS = 3;

/**
 * Read-modify-write sections of one row, one at a time, so that two concurrent updates of the
 * same row cannot write each other's stale fields back (a lost update). Within this process the
 * sections queue per id; on PostgreSQL each also runs in a transaction that first takes the
 * row's lock, so API replicas sharing the database wait for each other too. The lock is
 * `FOR NO KEY UPDATE`, the one PostgreSQL's own UPDATE of a non-key column takes: unlike
 * `FOR UPDATE` it does not hold up the foreign-key checks of rows that refer to this one (a
 * task created in a project while the project is renamed). SQLite has one writing process (the
 * API), so there the in-process queue is the whole lock. The section gets the transaction's
 * manager: everything it reads and writes must go through it (another pooled connection would
 * not see the lock, and could exhaust the pool). A section PostgreSQL ends to break a deadlock
 * (or cannot serialize) was rolled back whole, so it is run again, up to ATTEMPTS times in all;
 * then the error goes to the client (409, send it again).
 */
export class RowLock<T extends ObjectLiteral> {
  private readonly local = new KeyedLock();
  private readonly lockSql?: string;

  constructor(private readonly repository: Repository<T>) {
    const { driver } = repository.manager.connection;
    if (driver.options.type !== 'postgres') return;
    const [primary] = repository.metadata.primaryColumns;
    const table = driver.escape(repository.metadata.tableName);
    this.lockSql =
      `SELECT 1 FROM ${table} WHERE ${driver.escape(primary.databaseName)} = ` +
      `${driver.createParameter('id', 0)} FOR NO KEY UPDATE`;
  }

  run<R>(id: number, section: (manager: EntityManager) => Promise<R>): Promise<R> {
    const { lockSql } = this;
    return this.local.run(id, () =>
      lockSql ? this.locked(lockSql, id, section) : section(this.repository.manager),
    );
  }

  private async locked<R>(
    lockSql: string,
    id: number,
    section: (manager: EntityManager) => Promise<R>,
  ): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.repository.manager.transaction(async (manager) => {
          await manager.query(lockSql, [id]);
          return section(manager);
        });
      } catch (error) {
        if (attempt >= ATTEMPTS || classifyDatabaseError(error)?.kind !== 'concurrent') throw error;
      }
    }
  }
}
