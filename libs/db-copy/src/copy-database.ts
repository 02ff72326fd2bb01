import type Database from 'better-sqlite3';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runMigrationsUnderLock } from '@app/database';
import { checkTableValues, invalidValuesError, MAX_ISSUES } from './check-values';
import { copyTable, InvalidValueIssue, OnInvalid } from './copy-table';
import { DbCopyError, maskUrl } from './db-copy-error';
import { dropForeignKeys, restoreForeignKeyStatements } from './foreign-keys';
import {
  beginSnapshot,
  checkIntegrity,
  checkSourceMigrations,
  checkSourceSchema,
  countRows,
  findOrphans,
  formatOrphan,
  openElsewhereWarning,
  openSource,
  probeWriter,
} from './source-database';
import { TableDigest } from './row-checksum';
import { dropSecondaryIndexes, restoreIndexStatements } from './secondary-indexes';
import {
  readSourceSequences,
  resetSequences,
  SequenceVerification,
  verifySequences,
} from './sequences';
import { planTables, quoteIdent, TablePlan } from './table-plan';
import { checkWithoutWriting } from './dry-run';
import { connectTarget, openTargetDataSource, targetPendingMigrations } from './target-database';
import {
  existingTables,
  filledTargetError,
  foreignTablesError,
  nonEmptyTables,
} from './target-tables';
import { TableVerification, verifyTable } from './verify-tables';

/** Progress events for the CLI (bars on a terminal, lines otherwise). */
export interface CopyReporter {
  info?(message: string): void;
  /** A warning worth seeing before the copy starts; it is in the report's warnings too. */
  warn?(message: string): void;
  tableStart?(table: string, total: number): void;
  tableProgress?(table: string, rows: number): void;
  tableDone?(table: string, rows: number, ms: number): void;
}

/** Where a copy is: what the target holds if the process ends there (the CLI's signal message). */
export type CopyStage =
  /** Checks, or the dry run: nothing written. */
  | { name: 'checking' }
  /** Migrating the target: each migration commits on its own, before the copy. */
  | { name: 'migrating' }
  /** Inside the copy's one transaction: ending now rolls it back. */
  | { name: 'copying'; migrationsApplied: readonly string[] }
  /** COMMIT sent, its answer not yet received. */
  | { name: 'committing' }
  /** Committed; verifying. */
  | { name: 'verifying' };

export interface CopyRequest {
  from: string;
  to: string;
  truncate?: boolean;
  onInvalid?: OnInvalid;
  dryRun?: boolean;
  /** Copy even when another connection holds a write transaction on the source. */
  force?: boolean;
  reporter?: CopyReporter;
  /** Called as the copy moves from one stage to the next (it starts at `checking`). */
  onStage?: (stage: CopyStage) => void;
  /** Where TypeORM's migration messages go; default stdout (its console logger). */
  typeormLog?: (message: string) => void;
  /**
   * Characters per COPY write (default 256 Ki): large enough to amortize the write calls,
   * small enough that the chunk being built rarely outlives a young-generation GC (1 MiB chunks
   * were promoted and raised peak RSS by about 50 MB, for no speed gain).
   */
  chunkSize?: number;
}

export interface PlannedTable {
  table: string;
  rows: number;
  columns: string[];
}

export interface CopyReport {
  /** Every table and sequence verified; for a dry run, every check passed. */
  ok: boolean;
  source: string;
  target: string;
  dryRun: boolean;
  plan: PlannedTable[];
  warnings: string[];
  migrationsApplied: string[];
  migrationsPending: string[];
  copied: { table: string; rows: number; ms: number }[];
  invalid: InvalidValueIssue[];
  verification: TableVerification[];
  /** Each target sequence's next id against SQLite's (AUTOINCREMENT never reuses an id). */
  sequences: SequenceVerification[];
  ms: number;
}

interface Preflight {
  source: Database.Database;
  dataSource: DataSource;
  plans: TablePlan[];
  report: CopyReport;
}

/**
 * Everything checked before a single row is written, except the source's integrity_check (see
 * copyDatabase). Leaves the source snapshot open.
 */
async function preflight(request: CopyRequest, started: number): Promise<Preflight> {
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
    dataSource = await openTargetDataSource(request.to, request.typeormLog);
    const plans = planTables(dataSource);
    const extra = checkSourceSchema(source, plans);
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
      warnings: [
        ...warnings,
        ...extra.map((t) => `source table ${t} has no entity and is not copied`),
      ],
      migrationsApplied: [],
      migrationsPending: pending,
      copied: [],
      invalid: [],
      verification: [],
      sequences: [],
      ms: 0,
    };
    report.ms = Date.now() - started;
    return { source, dataSource, plans, report };
  } catch (error) {
    if (dataSource?.isInitialized) await dataSource.destroy();
    source.close();
    throw error;
  }
}

/**
 * Copies every entity table from the SQLite file into PostgreSQL inside one transaction, then
 * resets sequences and verifies counts, checksums and sequences. Throws DbCopyError on any
 * refusal.
 */
export async function copyDatabase(request: CopyRequest): Promise<CopyReport> {
  const started = Date.now();
  const { source, dataSource, plans, report } = await preflight(request, started);
  const reporter = request.reporter ?? {};
  let client: Client | undefined;
  let committed = false;
  try {
    if (request.dryRun) {
      await checkWithoutWriting(source, dataSource, plans, request, report);
      report.ok = true;
      report.ms = Date.now() - started;
      return report;
    }
    request.onStage?.({ name: 'migrating' });
    report.migrationsApplied = (await runMigrationsUnderLock(dataSource)).map((m) => m.name);
    report.migrationsPending = [];
    await dataSource.destroy();
    for (const name of report.migrationsApplied) reporter.info?.(`Applied migration ${name}`);

    request.onStage?.({ name: 'copying', migrationsApplied: report.migrationsApplied });
    client = await connectTarget(request.to);
    await client.query('BEGIN');
    await client.query(
      `LOCK TABLE ${plans.map((p) => quoteIdent(p.name)).join(', ')} IN EXCLUSIVE MODE`,
    );
    const filled = await nonEmptyTables(
      client,
      plans.map((p) => p.name),
    );
    if (filled.length > 0 && !request.truncate) throw filledTargetError(filled);
    if (filled.length > 0) {
      await client.query(`TRUNCATE ${plans.map((p) => quoteIdent(p.name)).join(', ')}`);
      reporter.info?.(`Truncated ${filled.join(', ')}`);
    }
    const foreignKeys = await dropForeignKeys(client, plans);
    const indexes = await dropSecondaryIndexes(client, plans);
    const sourceDigests = new Map<string, TableDigest>();
    const onInvalid = request.onInvalid ?? 'fail';
    let refused = false;
    for (const plan of plans) {
      if (refused) {
        // The copy is rolled back; the remaining tables are only read and converted, so that
        // this run reports their refused values too (as the dry run does).
        checkTableValues(source, plan, onInvalid, MAX_ISSUES, report.invalid);
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
        },
        report.invalid,
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
    const fatal = report.invalid.filter((i) => !i.nulled);
    if (fatal.length > 0) throw invalidValuesError(fatal);
    // Index builds and foreign-key checks sort; more memory than the default 64 MB for this
    // transaction only keeps those sorts in memory for tables of millions of rows. They go to
    // PostgreSQL as one query, so that it works through all of them while this thread runs the
    // source's integrity_check (every page read, every index checked against its table: seconds
    // per hundred MB on one core, which would otherwise wait in turn). It must pass before
    // COMMIT: a corrupt source is rolled back.
    reporter.info?.('Rebuilding indexes and foreign keys; checking the source (integrity_check)');
    const rebuilt = client.query(
      [
        `SET LOCAL maintenance_work_mem = '256MB'`,
        ...restoreIndexStatements(indexes),
        ...restoreForeignKeyStatements(foreignKeys),
      ].join(';\n'),
    );
    try {
      checkIntegrity(source);
    } catch (error) {
      await rebuilt.catch(() => undefined);
      throw error;
    }
    await rebuilt;
    const sequences = readSourceSequences(source, plans);
    await resetSequences(client, sequences);
    request.onStage?.({ name: 'committing' });
    await client.query('COMMIT');
    committed = true;
    request.onStage?.({ name: 'verifying' });
    reporter.info?.('Committed; verifying');

    // The source side was digested while copying; only the target is read again.
    for (const plan of plans) {
      report.verification.push(
        await verifyTable(source, client, plan, sourceDigests.get(plan.name)),
      );
    }
    report.sequences = await verifySequences(client, sequences);
    report.ok = report.verification.every((t) => t.match) && report.sequences.every((s) => s.ok);
    report.ms = Date.now() - started;
    return report;
  } catch (error) {
    if (committed) throw unverifiedCopyError(error);
    await client?.query('ROLLBACK').catch(() => undefined);
    if (report.migrationsApplied.length > 0 && error instanceof Error) {
      // Each migration committed on its own, before the copy's transaction: the schema stays.
      error.message +=
        `\nThe target's migrations ran before the copy and stay (${report.migrationsApplied.join(', ')}); ` +
        'its tables hold no rows of this copy: run db:copy again once the cause is fixed.';
    }
    throw error;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await client?.end().catch(() => undefined);
    source.close();
  }
}

/** After COMMIT the rows stay whatever fails: say so, and how to check them (exit 2). */
function unverifiedCopyError(error: unknown): DbCopyError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DbCopyError(
    `The copy was committed (the target keeps its rows), but verifying it failed (${reason}); ` +
      'run db:verify to compare the target with the source.',
    2,
  );
}
