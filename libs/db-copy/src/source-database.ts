import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS_TABLE, SQLITE_MIGRATIONS } from '@app/database';
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

/**
 * Opens the SQLite file read-only. WAL mode needs nothing special: a read-only connection reads
 * the `-wal` file too, so committed but uncheckpointed rows are seen.
 */
export function openSource(path: string): Database.Database {
  if (!existsSync(path)) throw new DbCopyError(`Source not found: ${path}`, 2);
  if (!statSync(path).isFile()) throw new DbCopyError(`Source is not a file: ${path}`, 2);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('schema_version');
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === 'SQLITE_NOTADB') throw new DbCopyError(`Not a SQLite database: ${path}`, 2);
    throw new DbCopyError(`Cannot open ${path} read-only: ${message}`, 2);
  }
  return db;
}

/** Starts the read transaction: every later read sees one consistent snapshot. */
export function beginSnapshot(db: Database.Database): void {
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

export function checkIntegrity(db: Database.Database): void {
  const rows = db.prepare('PRAGMA integrity_check').pluck().all() as string[];
  if (rows.length !== 1 || rows[0] !== 'ok') {
    throw new DbCopyError(`integrity_check failed:\n  ${rows.slice(0, 20).join('\n  ')}`, 1);
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

/** The source must carry exactly the SQLite migrations this build knows. */
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
    throw new DbCopyError(
      `The source has migrations this build does not know (${unknown.join(', ')}): ` +
        'use the build of the app that wrote it.',
      2,
    );
  }
  if (pending.length > 0) {
    throw new DbCopyError(
      `The source is not at the latest SQLite migration (pending: ${pending.join(', ')}). ` +
        `Migrate it first: DB_TYPE=sqlite SQLITE_PATH=${path} npm run migration:run`,
      2,
    );
  }
  return applied;
}

/** Every planned table and column exists in the source. */
export function checkSourceSchema(db: Database.Database, plans: TablePlan[]): string[] {
  const problems: string[] = [];
  for (const plan of plans) {
    const columns = new Set(
      (db.prepare(`PRAGMA table_info(${quoteIdent(plan.name)})`).all() as { name: string }[]).map(
        (c) => c.name,
      ),
    );
    if (columns.size === 0) problems.push(`table ${plan.name} is missing`);
    else
      for (const column of plan.columns)
        if (!columns.has(column.name))
          problems.push(`column ${plan.name}.${column.name} is missing`);
  }
  if (problems.length > 0) {
    throw new DbCopyError(`The source schema differs from the entities: ${problems.join('; ')}`, 2);
  }
  const known = new Set(plans.map((p) => p.name));
  return (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[]
  ).filter((name) => !known.has(name) && !INTERNAL_TABLES.has(name));
}

export function countRows(db: Database.Database, table: string): number {
  return db
    .prepare(`SELECT count(*) FROM ${quoteIdent(table)}`)
    .pluck()
    .get() as number;
}
