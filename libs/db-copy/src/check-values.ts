import type Database from 'better-sqlite3';
import { DbCopyError } from './db-copy-error';
import { InvalidValueIssue, keyOf, OnInvalid, sampleOf } from './copy-table';
import { quoteIdent, sourceColumn, TablePlan } from './table-plan';
import { utf8Checker } from './utf8-check';
import { converterFor, InvalidValue } from './value-converters';

/**
 * The dry run's stand-in for copyTable: reads and converts every value of one table exactly as
 * the copy does (same SELECT, same converters, the same UTF-8 re-check of values holding U+FFFD),
 * writes nothing, and pushes the same issues.
 * Stops after `maxIssues` rows with a fatal issue, as the copy does. Returns the rows read.
 */
export function checkTableValues(
  source: Database.Database,
  plan: TablePlan,
  onInvalid: OnInvalid,
  maxIssues: number,
  issues: InvalidValueIssue[],
): number {
  const { columns } = plan;
  const converters = columns.map(converterFor);
  const texts = columns.map((c) => c.kind === 'text' || c.kind === 'json');
  const checkUtf8 = utf8Checker(source, plan);
  const select = source
    .prepare(`SELECT ${columns.map(sourceColumn).join(', ')} FROM ${quoteIdent(plan.name)}`)
    .raw(true)
    .safeIntegers(columns.some((c) => c.kind === 'bigint'));
  let failedRows = 0;
  let rows = 0;
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    rows++;
    let rowFailed = false;
    for (let i = 0; i < columns.length; i++) {
      if (row[i] === null) continue;
      try {
        const text = converters[i](row[i]);
        if (texts[i] && text.indexOf('\uFFFD') !== -1) checkUtf8(row, i);
      } catch (error) {
        if (!(error instanceof InvalidValue)) throw error;
        const column = columns[i];
        const nulled = onInvalid === 'null' && column.nullable;
        const notNull = onInvalid === 'null' && !column.nullable ? ' (NOT NULL column)' : '';
        issues.push({
          table: plan.name,
          key: keyOf(plan, row),
          column: column.name,
          reason: error.message + notNull,
          sample: sampleOf(row[i]),
          nulled,
        });
        if (!nulled) rowFailed = true;
      }
    }
    if (rowFailed && ++failedRows >= maxIssues) break;
  }
  return rows;
}

/** The refusal of values that cannot be converted (dry run and real run alike). */
export function invalidValuesError(issues: InvalidValueIssue[]): DbCopyError {
  const lines = issues.map(
    (i) => `${i.table} ${i.key} column ${i.column}: ${i.reason}, value ${i.sample}`,
  );
  return new DbCopyError(
    `Values that cannot be converted; nothing was written (--on-invalid=null writes NULL into nullable columns):\n  ${lines.join('\n  ')}`,
    1,
    issues,
  );
}
