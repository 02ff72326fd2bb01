import {
  type CopyReport,
  MAX_ISSUES,
  type SequenceVerification,
  type TableVerification,
  type VerifyReport,
} from '@app/db-copy';
import { counted } from './counted';
import { rate } from './progress-reporter';

function printVerification(tables: TableVerification[]): void {
  for (const t of tables) {
    const status = t.match ? 'ok' : 'DIFFERS';
    console.log(
      `  ${t.table.padEnd(12)} source ${counted(t.sourceRows, 'row')} ${t.sourceChecksum} | target ${counted(t.targetRows, 'row')} ${t.targetChecksum}  ${status}`,
    );
    if (t.difference) {
      const d = t.difference;
      console.log(
        `    first difference: ${t.table} ${d.key}${d.column ? ` column ${d.column}` : ''}: source ${d.source}, target ${d.target}`,
      );
    }
  }
}

function printSequences(sequences: SequenceVerification[]): void {
  for (const s of sequences) {
    const mark = s.autoincrementMark === null ? '' : ` (sqlite_sequence ${s.autoincrementMark})`;
    const target = s.targetNext === null ? 'no sequence' : `next id ${s.targetNext}`;
    const status = s.ok ? 'ok' : 'BEHIND: would hand out ids SQLite already used';
    console.log(
      `  ${`${s.table}.${s.column}`.padEnd(12)} source next id ${s.sourceNext}${mark} | target ${target}  ${status}`,
    );
  }
}

/** The values written as NULL (--on-invalid=null): those the report names, then how many in all. */
function printNulled(report: CopyReport, verb: 'Set' | 'Would set'): void {
  for (const i of report.invalid) {
    console.log(
      `${verb} to NULL: ${i.table} ${i.key} column ${i.column}: ${i.reason}, value ${i.sample}`,
    );
  }
  if (report.nulledValues > report.invalid.length) {
    console.log(
      `${verb} to NULL: ${counted(report.nulledValues, 'value')} in all (the first ` +
        `${MAX_ISSUES} of each table are named above)`,
    );
  }
}

export function printCopyReport(report: CopyReport): void {
  console.log(`Source ${report.source} → target ${report.target}`);
  for (const warning of report.warnings) console.log(`Warning: ${warning}`);
  if (report.dryRun) {
    printNulled(report, 'Would set');
    console.log('Dry run: preflight passed; nothing written. Plan, in foreign-key order:');
    for (const p of report.plan) console.log(`  ${p.table.padEnd(12)} ${counted(p.rows, 'row')}`);
    if (report.migrationsPending.length > 0) {
      console.log(`Migrations to apply first: ${report.migrationsPending.join(', ')}`);
    }
    return;
  }
  printNulled(report, 'Set');
  const rows = report.copied.reduce((sum, t) => sum + t.rows, 0);
  const copyMs = report.copied.reduce((sum, t) => sum + t.ms, 0);
  console.log(
    `Copied ${counted(rows, 'row')} in ${counted(report.copied.length, 'table')} (${rate(rows, copyMs)} rows/s); total ${(report.ms / 1000).toFixed(1)} s`,
  );
  console.log(`Verification ${report.ok ? 'passed' : 'FAILED'}:`);
  printVerification(report.verification);
  printSequences(report.sequences);
}

export function printVerifyReport(report: VerifyReport): void {
  console.log(`Source ${report.source} ↔ target ${report.target}`);
  for (const warning of report.warnings) console.log(`Warning: ${warning}`);
  printVerification(report.tables);
  printSequences(report.sequences);
  console.log(report.match ? 'All tables match.' : DIFFERENCES_FOUND);
}

/**
 * What a user does next. The usual cause is an app still writing one side after the copy: the
 * SQLite app not stopped first, or the PostgreSQL app serving since.
 */
const DIFFERENCES_FOUND =
  'Differences found: the target no longer holds what the source holds. If the SQLite app ' +
  'wrote after the copy (it was not stopped first), stop it and run db:copy again with ' +
  '--truncate, which replaces the rows in the target (also any written there since); if the ' +
  'PostgreSQL app has been serving since the copy, its own writes are differences too.';
