import type Database from 'better-sqlite3';
import { Client } from 'pg';
import { DbCopyError } from './db-copy-error';
import { maxValue, readAutoincrementMarks } from './source-database';
import { quoteIdent, TablePlan } from './table-plan';
import { ColumnKind } from './value-converters';

/** A serial/identity column and the id SQLite would hand out next for it. */
export interface SourceSequence {
  table: string;
  column: string;
  /** The table's `sqlite_sequence` value when it counts this column, else null. */
  autoincrementMark: number | null;
  /** Past both the highest id in the source and the AUTOINCREMENT mark. */
  sourceNext: number;
}

export interface SequenceVerification extends SourceSequence {
  /** The id the target's sequence hands out next; null when the column has no sequence. */
  targetNext: number | null;
  /** The target never hands out an id SQLite already used. */
  ok: boolean;
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

/** The largest id a serial column's sequence hands out, by the column's type (SQLite's are 64-bit). */
const SEQUENCE_MAX: Partial<Record<ColumnKind, number>> = {
  smallint: 2 ** 15 - 1,
  integer: 2 ** 31 - 1,
};

/**
 * Refuses, before anything is written, a sequence that could not continue where SQLite's ids do
 * (the highest id is the type's largest, or a mark beyond it): setval would fail only after the
 * whole load, and the app on PostgreSQL could not create another row in that table.
 */
export function checkSequenceRanges(plans: TablePlan[], sequences: SourceSequence[]): void {
  const problems = sequences.flatMap(({ table, column, autoincrementMark, sourceNext }) => {
    const kind = plans.find((p) => p.name === table)?.columns.find((c) => c.name === column)?.kind;
    const max = (kind && SEQUENCE_MAX[kind]) ?? Infinity;
    if (sourceNext <= max) return [];
    const mark = autoincrementMark === null ? '' : ` (sqlite_sequence ${autoincrementMark})`;
    return [
      `${table}.${column}: SQLite's next id is ${sourceNext}${mark}, past the largest ${kind} ` +
        `PostgreSQL can hand out there (${max})`,
    ];
  });
  if (problems.length > 0) {
    throw new DbCopyError(
      "The target's id sequences cannot continue where SQLite's ids do; nothing was written:\n  " +
        problems.join('\n  '),
      1,
    );
  }
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

/** The id each target sequence hands out next (read without consuming it), against SQLite's. */
export async function verifySequences(
  client: Client,
  sequences: SourceSequence[],
): Promise<SequenceVerification[]> {
  const results: SequenceVerification[] = [];
  for (const sequence of sequences) {
    const { rows } = await client.query('SELECT pg_get_serial_sequence($1, $2) AS name', [
      quoteIdent(sequence.table),
      sequence.column,
    ]);
    let targetNext: number | null = null;
    if (rows[0].name) {
      // The name comes quoted from PostgreSQL itself. Before the first nextval (is_called false)
      // last_value is the next id; after it, last_value plus the increment.
      const { rows: next } = await client.query(
        `SELECT CASE WHEN is_called THEN last_value + seqincrement ELSE last_value END AS next
           FROM ${rows[0].name}, pg_sequence WHERE seqrelid = $1::regclass`,
        [rows[0].name],
      );
      targetNext = Number(next[0].next);
    }
    results.push({
      ...sequence,
      targetNext,
      ok: targetNext !== null && targetNext >= sequence.sourceNext,
    });
  }
  return results;
}
