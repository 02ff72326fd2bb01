/**
 * Runs read-modify-write sections one at a time per key within this process, so that two
 * concurrent PATCHes of the same row cannot write each other's stale fields back (a lost
 * update). It covers SQLite (one process writes) and one API replica on PostgreSQL; several
 * replicas would need a row lock (SELECT … FOR UPDATE) instead.
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
