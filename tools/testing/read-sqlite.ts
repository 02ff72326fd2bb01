import Database from 'better-sqlite3';

/** What `read` returns from a read-only connection to the SQLite file at `path`, closed after. */
export function readSqlite<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
