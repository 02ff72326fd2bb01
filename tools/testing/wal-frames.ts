import Database from 'better-sqlite3';

/**
 * Frames in a SQLite database's WAL since it was last started again from the top, read from a
 * second connection (a PASSIVE checkpoint, which waits for no one). SQLite starts the WAL again
 * after a checkpoint once a write passes 1,000 pages, so where writes finish (and so trigger
 * it) this stays near 1,000; where they never do, it grows by every write.
 */
export function walFrames(path: string): number {
  const db = new Database(path, { timeout: 0 });
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    return log;
  } finally {
    db.close();
  }
}
