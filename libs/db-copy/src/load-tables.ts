import type Database from 'better-sqlite3';
import { Client } from 'pg';
import { checkTableValues, invalidValuesError, MAX_ISSUES } from './check-values';
import type { CopyReport, CopyRequest } from './copy-request';
import { copyTable } from './copy-table';
import { RoundedValues } from './rounded-values';
import { TableDigest } from './row-checksum';
import { TablePlan } from './table-plan';

/**
 * COPYs every table's rows into the target inside the caller's transaction, digesting the
 * source side for the verification. After a table with a refused value the remaining tables are
 * only read and converted, so that one run reports the refused values of every table (as the dry
 * run does); then it throws, and the caller rolls back.
 */
export async function loadTables(
  source: Database.Database,
  client: Client,
  plans: TablePlan[],
  request: CopyRequest,
  report: CopyReport,
): Promise<Map<string, TableDigest>> {
  const reporter = request.reporter ?? {};
  const onInvalid = request.onInvalid ?? 'fail';
  const sourceDigests = new Map<string, TableDigest>();
  const rounded = new RoundedValues();
  let refused = false;
  for (const plan of plans) {
    if (refused) {
      checkTableValues(source, plan, onInvalid, MAX_ISSUES, report, rounded);
      continue;
    }
    const total = report.plan.find((p) => p.table === plan.name)!.rows;
    const tableStarted = Date.now();
    reporter.tableStart?.(plan.name, total);
    const digest = new TableDigest();
    sourceDigests.set(plan.name, digest);
    const rows = await copyTable(
      source,
      client,
      plan,
      {
        onInvalid,
        chunkSize: request.chunkSize ?? 1 << 18,
        maxIssues: MAX_ISSUES,
        onProgress: (n) => reporter.tableProgress?.(plan.name, n),
        digest,
        rounded,
      },
      report,
    );
    if (report.invalid.some((i) => !i.nulled)) {
      refused = true;
      reporter.info?.(
        `${plan.name}: values that cannot be converted; checking the other tables' values ` +
          'without writing, then rolling back',
      );
      continue;
    }
    const ms = Date.now() - tableStarted;
    report.copied.push({ table: plan.name, rows, ms });
    reporter.tableDone?.(plan.name, rows, ms);
  }
  report.warnings.push(...rounded.warnings());
  const fatal = report.invalid.filter((i) => !i.nulled);
  if (fatal.length > 0) throw invalidValuesError(fatal);
  return sourceDigests;
}
