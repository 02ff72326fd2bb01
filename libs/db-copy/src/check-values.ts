import type Database from 'better-sqlite3';
import { DbCopyError } from './db-copy-error';
import {
  FoundInvalid,
  invalidValueIssue,
  InvalidValueIssue,
  OnInvalid,
  recordIssue,
} from './copy-table';
import type { RoundedValues } from './rounded-values';
import { selectSource, SourceValues } from './source-values';
import { TablePlan } from './table-plan';
import { InvalidValue } from './value-converters';

/** Rows with a refused value reported per table (the copy and the dry run alike). */
export const MAX_ISSUES = 20;

/**
 * The dry run's stand-in for copyTable: reads and converts every value of one table exactly as
 * the copy does (same SELECT, same converters, the same UTF-8 re-check of values holding U+FFFD),
 * writes nothing, and pushes the same issues.
 * Stops after `maxIssues` rows with a fatal issue, as the copy does. Returns the rows read.
 * Its loop is copyTable's without the COPY text and the digest, kept apart so that the copy's
 * hot loop carries no "write or not" branch or callback. The copy uses it too, for the tables
 * after one that refused a value: they are only checked, so that one run reports them all.
 */
export function checkTableValues(
  source: Database.Database,
  plan: TablePlan,
  onInvalid: OnInvalid,
  maxIssues: number,
  found: FoundInvalid,
  rounded?: RoundedValues,
): number {
  const nulledBefore = found.nulledValues;
  const width = plan.columns.length;
  const values = new SourceValues(source, plan, rounded);
  let failedRows = 0;
  let rows = 0;
  for (const row of selectSource(source, plan).iterate() as IterableIterator<unknown[]>) {
    rows++;
    let rowFailed = false;
    for (let i = 0; i < width; i++) {
      if (row[i] === null) continue;
      try {
        values.convert(row, i);
      } catch (error) {
        if (!(error instanceof InvalidValue)) throw error;
        const issue = invalidValueIssue(plan, row, i, error, onInvalid);
        recordIssue(found, issue, nulledBefore, maxIssues);
        if (!issue.nulled) rowFailed = true;
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
