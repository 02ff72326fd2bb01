import { constants, promises as fs, statSync } from 'node:fs';
import { DataSource } from 'typeorm';

const openedFiles = new WeakMap<DataSource, number>();

function sqliteFile(dataSource: DataSource): string | undefined {
  const { type, database } = dataSource.options;
  return type === 'better-sqlite3' && typeof database === 'string' && database !== ':memory:'
    ? database
    : undefined;
}

/**
 * Notes which file a SQLite data source opened (its inode), right after it connected, so that
 * `pingDatabase` can tell when another file has taken its path, even before the first probe.
 */
export function rememberOpenedFile(dataSource: DataSource): void {
  const file = sqliteFile(dataSource);
  const stats = file === undefined ? undefined : statSync(file, { throwIfNoEntry: false });
  if (stats) openedFiles.set(dataSource, stats.ino);
}

/**
 * Proves the database answers: `SELECT 1`, and for a SQLite file also that the file the app
 * opened (`rememberOpenedFile`, else the one the first ping found) is still in place and
 * writable (a deleted or moved file keeps "working" through the open handle while every write
 * goes to a file nobody will ever open again).
 */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
  const database = sqliteFile(dataSource);
  if (database === undefined) return;
  await fs.access(database, constants.R_OK | constants.W_OK);
  const { ino, mode } = await fs.stat(database);
  if ((mode & 0o222) === 0) throw new Error(`${database} is read-only`);
  const opened = openedFiles.get(dataSource) ?? ino;
  openedFiles.set(dataSource, opened);
  if (ino !== opened) throw new Error(`${database} was replaced since the app opened it`);
}
