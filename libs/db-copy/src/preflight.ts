import type Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import type { CopyReport, CopyRequest } from './copy-request';
import { DbCopyError, maskUrl } from './db-copy-error';
import {
  beginSnapshot,
  checkSourceMigrations,
  checkSourceSchema,
  countRows,
  findOrphans,
  formatOrphan,
  openElsewhereWarning,
  openSource,
  probeWriter,
  sourceReadError,
} from './source-database';
import { checkSequenceRanges, readSourceSequences } from './sequences';
import { planTables, TablePlan } from './table-plan';
import { openTargetDataSource, targetPendingMigrations } from './target-database';
import { existingTables, foreignTablesError } from './target-tables';

export interface Preflight {
  source: Database.Database;
  dataSource: DataSource;
  plans: TablePlan[];
  report: CopyReport;
}

/**
 * Everything checked before a single row is written, except the source's integrity_check (which
 * runs while PostgreSQL rebuilds the indexes: copy-database.ts). Leaves the source snapshot open.
 */
export async function preflight(request: CopyRequest, started: number): Promise<Preflight> {
  const { db: source, immutable, notices } = openSource(request.from);
  let dataSource: DataSource | undefined;
  try {
    beginSnapshot(source);
    const warnings = [...notices];
    if (!immutable) {
      const probe = probeWriter(source, request.from);
      if (probe.writer && !request.force) {
        throw new DbCopyError(
          `Refused: ${probe.message}. Stop the app and run again, or pass --force to copy the ` +
            'snapshot anyway; nothing was written.',
          1,
        );
      }
      if (probe.message) warnings.push(probe.message);
      // An idle app: a live writer's message above already says that later writes are missed.
      const openElsewhere = probe.writer ? undefined : openElsewhereWarning(request.from);
      if (openElsewhere) {
        warnings.push(openElsewhere);
        request.reporter?.warn?.(openElsewhere);
      }
    }
    checkSourceMigrations(source, request.from);
    const orphans = findOrphans(source);
    if (orphans.length > 0) {
      throw new DbCopyError(
        `The source has rows whose parent row is missing (foreign_key_check); nothing was written:\n  ${orphans
          .map(formatOrphan)
          .join('\n  ')}`,
        1,
        orphans,
      );
    }
    dataSource = await openTargetDataSource(request.to, request.typeormLog, request.toHostSource);
    const plans = planTables(dataSource);
    const notCopied = checkSourceSchema(source, plans);
    checkSequenceRanges(plans, readSourceSequences(source, plans));
    const pending = await targetPendingMigrations(dataSource);
    if (pending.length === dataSource.migrations.length) {
      const foreign = await existingTables(
        dataSource,
        plans.map((p) => p.name),
      );
      if (foreign.length > 0) throw foreignTablesError(foreign);
    }
    const report: CopyReport = {
      ok: false,
      source: request.from,
      target: maskUrl(request.to),
      dryRun: !!request.dryRun,
      plan: plans.map((p) => ({
        table: p.name,
        rows: countRows(source, p.name),
        columns: p.columns.map((c) => `${c.name}:${c.kind}`),
      })),
      warnings: [...warnings, ...notCopied],
      migrationsApplied: [],
      migrationsPending: pending,
      copied: [],
      invalid: [],
      nulledValues: 0,
      verification: [],
      sequences: [],
      ms: 0,
    };
    report.ms = Date.now() - started;
    return { source, dataSource, plans, report };
  } catch (error) {
    if (dataSource?.isInitialized) await dataSource.destroy();
    source.close();
    throw sourceReadError(error, 'the source', 'nothing was written');
  }
}
