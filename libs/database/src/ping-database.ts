import type { LoggerService } from '@nestjs/common';
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

/** How often the app checks that its SQLite file is still at its path (one `stat`). */
const FILE_CHECK_MS = 1000;

/**
 * Refuses writes while the SQLite file the app opened is not at its path (deleted, moved, or
 * another file put in its place): through the open handle they would succeed and go to a file
 * nobody will open again. Checked every FILE_CHECK_MS, off the request path: the connection is
 * made `query_only`, so every write fails as a read-only database does (503), reads go on, and
 * writes are accepted again once the same file is back. Readiness (`pingDatabase`) is 503 too.
 */
export function refuseWritesWhileFileGone(
  dataSource: DataSource,
  logger: Pick<LoggerService, 'warn' | 'log'>,
) {
  const database = sqliteFile(dataSource);
  const opened = openedFiles.get(dataSource);
  if (database === undefined || opened === undefined) return;
  const connection = dataSource.driver as unknown as {
    databaseConnection: { pragma(source: string): unknown };
  };
  let refused = false;
  const timer = setInterval(() => {
    if (!dataSource.isInitialized) return clearInterval(timer);
    const ino = statSync(database, { throwIfNoEntry: false })?.ino;
    if ((ino !== opened) === refused) return;
    refused = ino !== opened;
    connection.databaseConnection.pragma(`query_only = ${refused ? 'ON' : 'OFF'}`);
    // The loss is a warning; its end is news, no warning.
    if (refused) {
      logger.warn(
        `${database} is no longer the file the app opened (deleted, moved or replaced): ` +
          'writes are refused (503) until it is back; to use another file, restart the app',
      );
    } else {
      logger.log(`${database} is back: writes are accepted again`);
    }
  }, FILE_CHECK_MS);
  timer.unref();
}
