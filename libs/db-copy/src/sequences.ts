import Database from 'better-sqlite3';
import { Client } from 'pg';
import { maxValue, readAutoincrementMarks } from './source-database';
import { quoteIdent, TablePlan } from './table-plan';

/** A serial/identity column and the id SQLite would hand out next for it. */
export interface SourceSequence {
  table: string;
  column: string;
  /** The table's `sqlite_sequence` value when it counts this column, else null. */
  autoincrementMark: number | null;
  /** Past both the highest id in the source and the AUTOINCREMENT mark. */
  sourceNext: number;
}

/**
 * The next id on SQLite for one sequence column. An AUTOINCREMENT table never reuses an id, not
 * even one whose row was deleted, so the next id follows the greater of the highest id still
 * present and the table's mark. The mark counts the table's rowid, which is this column only
 * when the column is the whole primary key (AUTOINCREMENT exists only on an INTEGER PRIMARY KEY).
 */
export function sourceSequence(
  plan: TablePlan,
  column: string,
  maxId: number | null,
  marks: Map<string, number>,
): SourceSequence {
  const isRowid = plan.primaryKey.length === 1 && plan.columns[plan.primaryKey[0]].name === column;
  const mark = isRowid ? (marks.get(plan.name) ?? null) : null;
  return {
    table: plan.name,
    column,
    autoincrementMark: mark,
    sourceNext: Math.max(maxId ?? 0, mark ?? 0) + 1,
  };
}

/** Every sequence column's next id on SQLite, read in the source's snapshot. */
export function readSourceSequences(db: Database.Database, plans: TablePlan[]): SourceSequence[] {
  const marks = readAutoincrementMarks(db);
  return plans.flatMap((plan) =>
    plan.sequenceColumns.map((column) =>
      sourceSequence(plan, column, maxValue(db, plan.name, column), marks),
    ),
  );
}

/**
 * Every serial/identity sequence continues after the highest copied value, or after SQLite's
 * next id when that is higher (rows deleted on SQLite): an id SQLite handed out once may still be
 * held by a client, a log or a link, and must not name another row on PostgreSQL.
 */
export async function resetSequences(client: Client, sequences: SourceSequence[]): Promise<void> {
  for (const { table, column, sourceNext } of sequences) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(COALESCE(MAX(${quoteIdent(column)}), 0)::bigint + 1, $3::bigint), false) FROM ${quoteIdent(table)}`,
      [quoteIdent(table), column, sourceNext],
    );
  }
}
