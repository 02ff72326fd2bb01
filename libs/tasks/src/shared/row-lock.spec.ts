import { EntityManager, Repository } from 'typeorm';
import { RowLock } from './row-lock';

type Row = { id: number };

/** A repository of `tasks` whose manager logs the statements and transactions it is given. */
function fakeRepository(type: 'postgres' | 'better-sqlite3') {
  const log: unknown[] = [];
  const transactionManager = {
    name: 'transaction',
    query: async (sql: string, parameters: unknown[]) => void log.push([sql, parameters]),
  };
  const manager = {
    name: 'repository',
    connection: {
      driver: {
        options: { type },
        escape: (name: string) => `"${name}"`,
        createParameter: (_: string, index: number) => `$${index + 1}`,
      },
    },
    query: async (sql: string, parameters: unknown[]) => void log.push([sql, parameters]),
    transaction: async <T>(run: (manager: unknown) => Promise<T>): Promise<T> => {
      log.push('BEGIN');
      try {
        const result = await run(transactionManager);
        log.push('COMMIT');
        return result;
      } catch (error) {
        log.push('ROLLBACK');
        throw error;
      }
    },
  };
  const repository = {
    manager,
    metadata: { tableName: 'tasks', primaryColumns: [{ databaseName: 'id' }] },
  } as unknown as Repository<Row>;
  return { repository, log };
}

const LOCK = 'SELECT 1 FROM "tasks" WHERE "id" = $1 FOR NO KEY UPDATE';
const failure = (code: string) => Object.assign(new Error(`failed with ${code}`), { code });
const managerName = (manager: EntityManager) => (manager as unknown as { name: string }).name;

describe('RowLock', () => {
  it("on PostgreSQL runs the section in a transaction that first takes the row's lock", async () => {
    const { repository, log } = fakeRepository('postgres');
    const result = await new RowLock(repository).run(7, async (manager) => {
      log.push(`section on the ${managerName(manager)} manager`);
      return 'done';
    });
    expect(result).toBe('done');
    expect(log).toEqual(['BEGIN', [LOCK, [7]], 'section on the transaction manager', 'COMMIT']);
  });

  it.each(['40P01', '40001'])(
    'on PostgreSQL runs a section ended by %s again, up to three times in all',
    async (code) => {
      const { repository } = fakeRepository('postgres');
      const lock = new RowLock(repository);
      let calls = 0;
      const flaky = async () => {
        if (++calls < 3) throw failure(code);
        return calls;
      };
      await expect(lock.run(1, flaky)).resolves.toBe(3);
      calls = 0;
      const failing = async () => {
        calls++;
        throw failure(code);
      };
      await expect(lock.run(1, failing)).rejects.toThrow(`failed with ${code}`);
      expect(calls).toBe(3);
    },
  );

  it('on PostgreSQL runs a section that fails otherwise once', async () => {
    const { repository } = fakeRepository('postgres');
    let calls = 0;
    const unique = async () => {
      calls++;
      throw failure('23505');
    };
    await expect(new RowLock(repository).run(1, unique)).rejects.toThrow('failed with 23505');
    expect(calls).toBe(1);
  });

  it("on SQLite runs the section on the repository's manager, without a transaction or lock", async () => {
    const { repository, log } = fakeRepository('better-sqlite3');
    let calls = 0;
    const section = async (manager: EntityManager) => {
      calls++;
      log.push(`section on the ${managerName(manager)} manager`);
      throw failure('SQLITE_BUSY');
    };
    await expect(new RowLock(repository).run(1, section)).rejects.toThrow('SQLITE_BUSY');
    expect([log, calls]).toEqual([['section on the repository manager'], 1]);
  });

  it.each(['postgres', 'better-sqlite3'] as const)(
    'on %s runs the sections of one row one after another, of other rows meanwhile',
    async (type) => {
      const { repository } = fakeRepository(type);
      const lock = new RowLock(repository);
      const events: string[] = [];
      const section = (name: string, ms: number) => async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`${name} end`);
      };
      await Promise.all([
        lock.run(1, section('a', 20)),
        lock.run(1, section('b', 1)),
        lock.run(2, section('c', 1)),
      ]);
      expect(events.indexOf('b start')).toBeGreaterThan(events.indexOf('a end'));
      expect(events.indexOf('c end')).toBeLessThan(events.indexOf('a end'));
    },
  );
});
