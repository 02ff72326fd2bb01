import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DbCopyError } from './db-copy-error';
import { quoteIdent } from './table-plan';

/** Of `names`, the tables that exist in the target's current schema (where migrations create them). */
export async function existingTables(dataSource: DataSource, names: string[]): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query(
    `SELECT relname AS name FROM pg_class
      WHERE relnamespace = current_schema()::regnamespace AND relname = ANY($1)`,
    [names],
  );
  const found = new Set(rows.map((r) => r.name));
  return names.filter((name) => found.has(name));
}

/** Of `names` (existing tables), those holding rows: through the copy's client or TypeORM. */
export async function nonEmptyTables(
  target: Client | DataSource,
  names: string[],
): Promise<string[]> {
  const filled: string[] = [];
  for (const name of names) {
    const sql = `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(name)}) AS "filled"`;
    const rows =
      target instanceof Client ? (await target.query(sql)).rows : await target.query(sql);
    if (rows[0].filled) filled.push(name);
  }
  return filled;
}

/**
 * Entity tables in a target where none of this app's migrations ran were created by something
 * else (another application, `synchronize`): the first migration would fail on them half-way
 * ("relation … already exists"), so refuse before migrating anything.
 */
export function foreignTablesError(tables: string[]): DbCopyError {
  return new DbCopyError(
    `The target already has table(s) ${tables.join(', ')}, but none of this app's migrations ` +
      `ran there (another application's database?); nothing was written. Copy into an empty ` +
      'database.',
    1,
  );
}

/**
 * The entity tables (`names`) the target has and that hold rows, before any migration of this
 * run: what the dry run and the real run's first check refuse.
 */
export async function filledTables(dataSource: DataSource, names: string[]): Promise<string[]> {
  return nonEmptyTables(dataSource, await existingTables(dataSource, names));
}

/** The refusal of a target whose tables already hold rows (dry run and real run alike). */
export function filledTargetError(tables: string[]): DbCopyError {
  return new DbCopyError(
    `The target already holds rows (${tables.join(', ')}); nothing was written. ` +
      'Use --truncate to replace them, which also deletes whatever the app has written there ' +
      'since; db:verify says first whether they differ from the source.',
    1,
  );
}
