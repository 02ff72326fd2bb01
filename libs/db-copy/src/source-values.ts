import type Database from 'better-sqlite3';
import type { RoundedValues } from './rounded-values';
import { quoteIdent, sourceColumn, TablePlan } from './table-plan';
import { utf8Checker } from './utf8-check';
import { Converter, converterFor } from './value-converters';

/**
 * The raw SELECT of a table's columns in plan order (bigints exact where the plan has any), as
 * the copy, the dry run and verification read the source. `where` is appended as given.
 */
export function selectSource(
  source: Database.Database,
  plan: TablePlan,
  where = '',
): Database.Statement {
  const { columns } = plan;
  const sql = `SELECT ${columns.map(sourceColumn).join(', ')} FROM ${quoteIdent(plan.name)}`;
  return source
    .prepare(where ? `${sql} ${where}` : sql)
    .raw(true)
    .safeIntegers(columns.some((c) => c.kind === 'bigint'));
}

/**
 * One table's source values as the copy writes them: the column's converter, then, for TEXT and
 * JSON that hold U+FFFD, the strict UTF-8 re-read (see utf8Checker). What each caller does with
 * a refused value (InvalidValue) is its own: copyTable and checkTableValues report it, verify
 * counts it as NULL.
 */
export class SourceValues {
  private readonly converters: Converter[];
  private readonly texts: boolean[];
  private readonly checkUtf8: (row: unknown[], column: number) => void;

  /** `rounded` counts the decimals written with fewer digits than the source holds. */
  constructor(source: Database.Database, plan: TablePlan, rounded?: RoundedValues) {
    this.converters = plan.columns.map((c) => converterFor(c, rounded?.of(plan.name, c)));
    this.texts = plan.columns.map((c) => c.kind === 'text' || c.kind === 'json');
    this.checkUtf8 = utf8Checker(source, plan);
  }

  /** `row[i]`, which must not be null, as PostgreSQL input text (unescaped); throws InvalidValue. */
  convert(row: unknown[], i: number): string {
    const text = this.converters[i](row[i]);
    if (this.texts[i] && text.indexOf('\uFFFD') !== -1) this.checkUtf8(row, i);
    return text;
  }
}
