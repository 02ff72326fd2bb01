import type Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { checkTableValues, invalidValuesError, MAX_ISSUES } from './check-values';
import type { CopyReport, CopyRequest } from './copy-request';
import { RoundedValues } from './rounded-values';
import { checkIntegrity } from './source-database';
import { TablePlan } from './table-plan';
import { filledTables, filledTargetError } from './target-tables';

/**
 * The dry run: every refusal of the real run that does not need a write, with the same message
 * and exit code, and nothing written to the target (no migration, no lock, SELECTs only). A
 * target's tables that a pending migration would create are empty by definition. Destroys
 * `dataSource`.
 */
export async function checkWithoutWriting(
  source: Database.Database,
  dataSource: DataSource,
  plans: TablePlan[],
  request: CopyRequest,
  report: CopyReport,
): Promise<void> {
  const filled = await filledTables(
    dataSource,
    plans.map((p) => p.name),
  );
  await dataSource.destroy();
  if (filled.length > 0 && !request.truncate) throw filledTargetError(filled);
  if (filled.length > 0) {
    report.warnings.push(`--truncate would replace the rows in ${filled.join(', ')}`);
  }
  request.reporter?.info?.('Dry run: converting every value of the source; writing nothing');
  // Every table, as the copy does: one run names the refused values of all of them.
  const rounded = new RoundedValues();
  const onInvalid = request.onInvalid ?? 'fail';
  for (const plan of plans) {
    checkTableValues(source, plan, onInvalid, MAX_ISSUES, report, rounded);
  }
  report.warnings.push(...rounded.warnings());
  const fatal = report.invalid.filter((i) => !i.nulled);
  if (fatal.length > 0) throw invalidValuesError(fatal);
  checkIntegrity(source);
}
