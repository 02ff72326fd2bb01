/**
 * Runs sections one at a time per key within this process (in the order they arrive). The
 * in-process half of `RowLock`, which adds the database's row lock on PostgreSQL.
 */
export class KeyedLock {
  private readonly tails = new Map<unknown, Promise<unknown>>();

  async run<T>(key: unknown, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(section);
    this.tails.set(key, current);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === current) this.tails.delete(key);
    }
  }
}
