import { constants, promises as fs } from 'node:fs';
import { DataSource } from 'typeorm';

const openedFiles = new WeakMap<DataSource, number>();

/**
 * Proves the database answers: `SELECT 1`, and for a SQLite file also that the file the app
 * opened is still in place and writable (a deleted or moved file keeps "working" through the
 * open handle while every write goes to a file nobody will ever open again).
 */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
  const { type, database } = dataSource.options;
  if (type !== 'better-sqlite3' || typeof database !== 'string' || database === ':memory:') return;
  await fs.access(database, constants.R_OK | constants.W_OK);
  const { ino, mode } = await fs.stat(database);
  if ((mode & 0o222) === 0) throw new Error(`${database} is read-only`);
  const opened = openedFiles.get(dataSource) ?? ino;
  openedFiles.set(dataSource, opened);
  if (ino !== opened) throw new Error(`${database} was replaced since the app opened it`);
}
