import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type Database from 'better-sqlite3';
import {
  MIGRATIONS_TABLE,
  SQLITE_MIGRATIONS,
  sqliteDriver,
  unknownMigrationsMessage,
} from '@app/database';
import { DbCopyError } from './db-copy-error';
import { quoteIdent, TablePlan } from './table-plan';

export interface Orphan {
  table: string;
  rowid: number | null;
  parent: string;
  /** The value(s) pointing at the missing parent row. */
  key: Record<string, unknown>;
}

const INTERNAL_TABLES = new Set([MIGRATIONS_TABLE, 'sqlite_sequence', 'typeorm_metadata']);

/** How a SQLite connection is opened (injectable so tests can simulate open failures). */
export type SqliteOpener = (name: string, options: Database.Options) => Database.Database;

const defaultOpener: SqliteOpener = (name, options) => {
  const Driver = sqliteDriver();
  return new Driver(name, options);
};

/** The source connection plus notices for the user (e.g. the immutable fallback). */
export interface OpenedSource {
  db: Database.Database;
  /** True when opened with `immutable=1`: no locks, no `-wal`, no live-writer check possible. */
  immutable: boolean;
  notices: string[];
}

/**
 * The `-wal`, `-shm` or `-journal` file of the database at `path`: beside the file a symlink
 * names, as SQLite resolves symlinks before it derives these names.
 */
function sidecar(path: string, suffix: string): string {
  return `${realpathSync(path)}${suffix}`;
}

const isOpenFailure = (code: string | undefined): boolean =>
  code === 'SQLITE_CANTOPEN' || !!code?.startsWith('SQLITE_READONLY');

function openChecked(open: SqliteOpener, name: string): Database.Database {
  const db = open(name, { readonly: true, fileMustExist: true });
  try {
    db.pragma('schema_version');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens the SQLite file read-only. WAL mode needs nothing special: a read-only connection reads
 * the `-wal` file too, so committed but uncheckpointed rows are seen.
 *
 * A WAL-mode file in a read-only location (a `:ro` mount) cannot be opened that way when its
 * `-shm` file is missing, because SQLite cannot create it (SQLITE_CANTOPEN / SQLITE_READONLY).
 * Then, and only then, the file is reopened with SQLite's `immutable=1` URI parameter, which needs
 * no `-shm` but ignores any `-wal` and assumes nobody writes the file: so a non-empty `-wal` is
 * refused rather than silently skipped; so is a hot rollback journal (SQLITE_READONLY_ROLLBACK).
 * URI filenames must be enabled in the process (`SQLITE_USE_URI=1` before better-sqlite3 loads;
 * the CLI does that).
 */
export function openSource(path: string, open: SqliteOpener = defaultOpener): OpenedSource {
  checkReadable(path);
  try {
    return { db: openChecked(open, path), immutable: false, notices: [] };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === 'SQLITE_NOTADB') throw new DbCopyError(`Not a SQLite database: ${path}`, 2);
    if (code === 'SQLITE_READONLY_ROLLBACK') throw hotJournal(path);
    if (!isOpenFailure(code)) {
      throw new DbCopyError(`Cannot open ${path} read-only: ${message}`, 2);
    }
    return openImmutable(path, open, `${code}: ${message}`);
  }
}

/**
 * The source is a file this process may read. SQLite says only `unable to open database file`
 * (which the immutable=1 fallback would then try again), and a folder on the path that this user
 * may not search looks like a missing file to existsSync.
 */
function checkReadable(path: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') throw new DbCopyError(`Source not found: ${path}`, 2);
    if (code === 'EACCES') {
      throw unreadable(path, `${message}: a folder on its path may not be searched`);
    }
    // ENOTDIR (a file used as a folder on the path), ELOOP, ENAMETOOLONG, EIO: the system's word.
    throw new DbCopyError(`Cannot open the source ${path} (${message})`, 2);
  }
  if (!stats.isFile()) throw new DbCopyError(`Source is not a file: ${path}`, 2);
  try {
    accessSync(path, constants.R_OK);
  } catch {
    const mode = (stats.mode & 0o7777).toString(8).padStart(4, '0');
    throw unreadable(path, `the file's owner is uid ${stats.uid}, mode ${mode}`);
  }
}

function unreadable(path: string, why: string): DbCopyError {
  const user = process.getuid ? `uid ${process.getuid()}` : "this process's user";
  return new DbCopyError(
    `Cannot read the source ${path} as ${user} (${why}): run as a user who may read it, or ` +
      'change its permissions.',
    2,
  );
}

/**
 * A hot `-journal` (rollback-journal mode) means a writer died mid-transaction: the file holds
 * uncommitted pages that only a read-write open rolls back. immutable=1 would read them as they
 * are, so this is refused, like a non-empty `-wal` is below.
 */
function hotJournal(path: string): DbCopyError {
  return new DbCopyError(
    `Cannot copy ${path}: it has a hot journal (${sidecar(path, '-journal')}) from an interrupted write (a ` +
      'process stopped in the middle of a transaction), and the file still holds that ' +
      "transaction's uncommitted changes. Open it once with the app or sqlite3 (for example " +
      `sqlite3 ${path} "PRAGMA integrity_check"), which rolls the journal back, then copy; ` +
      'nothing was written.',
    2,
  );
}

function openImmutable(path: string, open: SqliteOpener, reason: string): OpenedSource {
  const wal = sidecar(path, '-wal');
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new DbCopyError(
      `Cannot open ${path} read-only (${reason}). It is in WAL mode and ${wal} holds rows not yet ` +
        `checkpointed, which SQLite can only read with a ${sidecar(path, '-shm')} file it cannot create here ` +
        '(read-only location). Mount or copy the whole directory writable, or stop the app and ' +
        `checkpoint first (sqlite3 ${path} "PRAGMA wal_checkpoint(TRUNCATE)").`,
      2,
    );
  }
  const uri = `${pathToFileURL(resolve(path)).href}?immutable=1`;
  try {
    const db = openChecked(open, uri);
    return {
      db,
      immutable: true,
      notices: [
        `${path} cannot be opened normally read-only (${reason}; e.g. a WAL-mode file on a ` +
          'read-only mount without its -shm file), so it was opened with SQLite immutable=1: ' +
          'this assumes no process writes the file while it is read (stop the app first).',
      ],
    };
  } catch (error) {
    const { message } = error as { message: string };
    throw new DbCopyError(
      `Cannot open ${path} read-only (${reason}), nor with immutable=1 (${message}; URI ` +
        'filenames need SQLITE_USE_URI=1 in the environment).',
      2,
    );
  }
}

/**
 * Whether another connection holds a write transaction on the source right now (for example
 * `BEGIN IMMEDIATE` in the running app). Call it after beginSnapshot: a short-lived read-write
 * probe tries `BEGIN IMMEDIATE` with no busy timeout and rolls back; it never writes a page, and
 * since the snapshot still holds its read lock, closing the probe cannot checkpoint. It is only
 * made when it cannot create files: in WAL mode only while `-wal` and `-shm` already exist (no
 * open connection otherwise, so no writer).
 * `writer` is true when one is found; `message` explains it, or why the check was not possible.
 */
export function probeWriter(
  db: Database.Database,
  path: string,
  open: SqliteOpener = defaultOpener,
): { writer: boolean; message?: string } {
  const wal = db.pragma('journal_mode', { simple: true }) === 'wal';
  if (wal && !(existsSync(sidecar(path, '-wal')) && existsSync(sidecar(path, '-shm')))) {
    return { writer: false };
  }
  let probe: Database.Database;
  try {
    accessSync(path, constants.W_OK);
    probe = open(path, { fileMustExist: true, timeout: 0 });
  } catch {
    return {
      writer: false,
      message: `could not check ${path} for a live writer (not writable here); stop the app first`,
    };
  }
  try {
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
    return { writer: false };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) {
      return {
        writer: true,
        message:
          `another connection holds a write transaction on ${path} (a live writer): the copy ` +
          'reads a consistent snapshot taken now and will miss every later write' +
          (wal ? '' : '; in rollback-journal mode its commit also waits until the copy ends'),
      };
    }
    return { writer: false, message: `could not check ${path} for a live writer: ${message}` };
  } finally {
    probe.close();
  }
}

/**
 * A warning when the source seems to be open in another process that holds no write transaction
 * (an idle app, which probeWriter cannot see): its `-wal` file holds frames. SQLite removes
 * `-wal` when the last read-write connection closes; one that crashed leaves it, frames and all.
 * An empty `-wal` tells nothing: read-only connections (db:copy's and db:verify's own) cannot
 * remove it and leave it empty, and so does an app that has written nothing since it opened the
 * file (which therefore goes unnoticed). Undefined when there is no `-wal` or it is empty.
 */
export function openElsewhereWarning(path: string): string | undefined {
  const wal = sidecar(path, '-wal');
  if (!existsSync(wal) || statSync(wal).size === 0) return undefined;
  return (
    `${path} seems to be open in another process (${wal} is not empty, and SQLite removes it ` +
    'when the last connection closes, unless that process crashed): writes made after the copy ' +
    'starts will not be copied. Stop the app first, and run db:verify afterwards.'
  );
}

/**
 * A SQLite error while reading the source (a corrupt page, an I/O error) as a refusal that says
 * what failed (`what`) and what the run leaves (`outcome`); any other error as it is.
 */
export function sourceReadError(error: unknown, what: string, outcome: string): unknown {
  const { code, message } = error as { code?: unknown; message?: string };
  if (error instanceof DbCopyError || typeof code !== 'string' || !code.startsWith('SQLITE_')) {
    return error;
  }
  // A damaged file; not, say, another tool's index whose collation this SQLite does not have
  // (SQLITE_ERROR_MISSING_COLLSEQ), which integrity_check itself fails on.
  const damaged = /^SQLITE_(CORRUPT|IOERR|NOTADB)/.test(code);
  return new DbCopyError(
    `Reading ${what} failed (${code}: ${message}); ${outcome}.` +
      (damaged ? ' Check the file with PRAGMA integrity_check.' : ''),
    1,
  );
}

/** Starts the read transaction: every later read sees one consistent snapshot. */
export function beginSnapshot(db: Database.Database): void {
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

/** `PRAGMA integrity_check` of the source; a refusal unless it answers "ok". */
export function checkIntegrity(db: Database.Database): void {
  const rows = db.prepare('PRAGMA integrity_check').pluck().all() as string[];
  if (rows.length !== 1 || rows[0] !== 'ok') {
    throw new DbCopyError(
      `integrity_check failed; nothing was copied:\n  ${rows.slice(0, 20).join('\n  ')}`,
      1,
    );
  }
}

export function findOrphans(db: Database.Database, limit = 100): Orphan[] {
  const violations = db.prepare('PRAGMA foreign_key_check').all() as {
    table: string;
    rowid: number | null;
    parent: string;
    fkid: number;
  }[];
  return violations.slice(0, limit).map((v) => {
    const fkColumns = (
      db.prepare(`PRAGMA foreign_key_list(${quoteIdent(v.table)})`).all() as {
        id: number;
        from: string;
      }[]
    )
      .filter((fk) => fk.id === v.fkid)
      .map((fk) => fk.from);
    const row =
      v.rowid === null
        ? {}
        : ((db
            .prepare(
              `SELECT ${fkColumns.map(quoteIdent).join(', ')} FROM ${quoteIdent(v.table)} WHERE rowid = ?`,
            )
            .get(v.rowid) ?? {}) as Record<string, unknown>);
    return { table: v.table, rowid: v.rowid, parent: v.parent, key: row };
  });
}

export function formatOrphan(orphan: Orphan): string {
  const key = Object.entries(orphan.key)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${orphan.table} rowid=${orphan.rowid} → missing ${orphan.parent} (${key})`;
}

/** The source must carry exactly the SQLite migrations this build knows (none newer). */
export function checkSourceMigrations(db: Database.Database, path: string): string[] {
  const expected = SQLITE_MIGRATIONS.map((M) => new M().name ?? M.name);
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(MIGRATIONS_TABLE);
  const applied = hasTable
    ? (db
        .prepare(`SELECT name FROM ${quoteIdent(MIGRATIONS_TABLE)}`)
        .pluck()
        .all() as string[])
    : [];
  const pending = expected.filter((name) => !applied.includes(name));
  const unknown = applied.filter((name) => !expected.includes(name));
  if (unknown.length > 0) {
    throw new DbCopyError(`${unknownMigrationsMessage('The source', unknown)}.`, 2);
  }
  // Migrating would not help here: it would give an empty file, or another application's
  // database, this app's empty tables, and the copy would then prove that nothing was copied.
  if (applied.length === 0) throw notAppDatabase(db, path);
  if (pending.length > 0) {
    throw new DbCopyError(
      `The source is not at the latest SQLite migration (pending: ${pending.join(', ')}). ` +
        `Migrate it first: DB_TYPE=sqlite SQLITE_PATH=${path} npm run migration:run`,
      2,
    );
  }
  return applied;
}

/** A source where none of this app's migrations ran: a wrong --from (an empty file, another app's). */
function notAppDatabase(db: Database.Database, path: string): DbCopyError {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  const what =
    tables.length === 0
      ? 'an empty database, without any table'
      : `its tables: ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}`;
  return new DbCopyError(
    `The source ${path} holds none of this app's migrations (${what}): it is not a database ` +
      'the app created. Check --from (the file the app uses, its SQLITE_PATH); nothing was written.',
    2,
  );
}

/**
 * Every planned table and column exists in the source, else a refusal. Returns a warning for
 * each thing no entity describes, which is therefore not copied: a column another tool added to
 * an entity table (with how many rows hold a value in it), and a table of its own.
 */
export function checkSourceSchema(db: Database.Database, plans: TablePlan[]): string[] {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const plan of plans) {
    const columns = (
      db.prepare(`PRAGMA table_info(${quoteIdent(plan.name)})`).all() as { name: string }[]
    ).map((c) => c.name);
    if (columns.length === 0) {
      problems.push(`table ${plan.name} is missing`);
      continue;
    }
    for (const column of plan.columns)
      if (!columns.includes(column.name))
        problems.push(`column ${plan.name}.${column.name} is missing`);
    const planned = new Set(plan.columns.map((c) => c.name));
    for (const column of columns.filter((name) => !planned.has(name))) {
      warnings.push(
        `source column ${plan.name}.${column} has no entity column and is not copied ` +
          `(${valuesHeld(db, plan.name, column)})`,
      );
    }
  }
  if (problems.length > 0) {
    throw new DbCopyError(`The source schema differs from the entities: ${problems.join('; ')}`, 2);
  }
  const known = new Set(plans.map((p) => p.name));
  const tables = (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[]
  ).filter((name) => !known.has(name) && !INTERNAL_TABLES.has(name));
  return [...warnings, ...tables.map((t) => `source table ${t} has no entity and is not copied`)];
}

/** "2 rows hold a value": the rows whose `column` is not NULL. */
function valuesHeld(db: Database.Database, table: string, column: string): string {
  const rows = db
    .prepare(`SELECT count(${quoteIdent(column)}) FROM ${quoteIdent(table)}`)
    .pluck()
    .get() as number;
  if (rows === 0) return 'no row holds a value';
  return rows === 1 ? '1 row holds a value' : `${rows} rows hold a value`;
}

export function countRows(db: Database.Database, table: string): number {
  return db
    .prepare(`SELECT count(*) FROM ${quoteIdent(table)}`)
    .pluck()
    .get() as number;
}

/** The highest value of a column, or null when the table is empty. */
export function maxValue(db: Database.Database, table: string, column: string): number | null {
  const max = db
    .prepare(`SELECT max(${quoteIdent(column)}) FROM ${quoteIdent(table)}`)
    .pluck()
    .get() as number | null;
  return max === null ? null : Number(max);
}

/**
 * SQLite's AUTOINCREMENT high-water marks by table (`sqlite_sequence`): the largest id each such
 * table ever handed out, kept after that row is deleted, which is how SQLite never reuses an id.
 * SQLite creates `sqlite_sequence` with the first AUTOINCREMENT table, so a file without one has
 * no such table: then there are no marks. A mark another tool wrote as text or REAL (`'600'`) is
 * read as SQLite reads it when it hands out the next id: as its integer value.
 */
export function readAutoincrementMarks(db: Database.Database): Map<string, number> {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
    .get();
  if (!exists) return new Map();
  const rows = db
    .prepare(
      'SELECT name, max(CAST(seq AS INTEGER)) FROM sqlite_sequence WHERE seq IS NOT NULL GROUP BY name',
    )
    .raw(true)
    .all() as [string, number][];
  return new Map(rows);
}
