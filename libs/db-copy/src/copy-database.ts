import type Database from 'better-sqlite3';
import { Client } from 'pg';
import { pendingMigrationNames, runMigrationsUnderLock } from '@app/database';
import type { CopyReport, CopyRequest } from './copy-request';
import { DbCopyError } from './db-copy-error';
import { checkWithoutWriting } from './dry-run';
import { dropForeignKeys, ForeignKeyDefinition, restoreForeignKeyStatements } from './foreign-keys';
import { loadTables } from './load-tables';
import { preflight } from './preflight';
import { dropSecondaryIndexes, IndexDefinition, restoreIndexStatements } from './secondary-indexes';
import { checkIntegrity, sourceReadError } from './source-database';
import { readSourceSequences, resetSequences, verifySequences } from './sequences';
import { quoteIdent } from './table-plan';
import { connectTarget } from './target-database';
import { filledTables, filledTargetError, nonEmptyTables } from './target-tables';
import { verifyTable } from './verify-tables';

/**
 * Copies every entity table from the SQLite file into PostgreSQL inside one transaction, then
 * resets sequences and verifies counts, checksums and sequences. Throws DbCopyError on any
 * refusal.
 */
export async function copyDatabase(request: CopyRequest): Promise<CopyReport> {
  const started = Date.now();
  const { source, dataSource, plans, report } = await preflight(request, started);
  const reporter = request.reporter ?? {};
  const tables = plans.map((p) => quoteIdent(p.name)).join(', ');
  let client: Client | undefined;
  let committed = false;
  try {
    if (request.dryRun) {
      await checkWithoutWriting(source, dataSource, plans, request, report);
      report.ok = true;
      report.ms = Date.now() - started;
      return report;
    }
    if (!request.truncate) {
      // Refused before migrating: a target holding rows (an older version's live database, a
      // wrong --to) keeps its schema too. Checked again under the copy's lock below.
      const filled = await filledTables(
        dataSource,
        plans.map((p) => p.name),
      );
      if (filled.length > 0) throw filledTargetError(filled);
    }
    request.onStage?.({ name: 'migrating' });
    try {
      report.migrationsApplied = (await runMigrationsUnderLock(dataSource)).map((m) => m.name);
    } catch (error) {
      // Each migration commits on its own: those before the failed one stay (named below).
      const pending = await pendingMigrationNames(dataSource).catch(() => report.migrationsPending);
      report.migrationsApplied = report.migrationsPending.filter((name) => !pending.includes(name));
      throw error;
    }
    report.migrationsPending = [];
    await dataSource.destroy();
    for (const name of report.migrationsApplied) reporter.info?.(`Applied migration ${name}`);

    request.onStage?.({ name: 'copying', migrationsApplied: report.migrationsApplied });
    client = await connectTarget(request.to, request.toHostSource);
    await client.query('BEGIN');
    await client.query(`LOCK TABLE ${tables} IN EXCLUSIVE MODE`);
    const filled = await nonEmptyTables(
      client,
      plans.map((p) => p.name),
    );
    if (filled.length > 0 && !request.truncate) throw filledTargetError(filled);
    if (filled.length > 0) {
      await client.query(`TRUNCATE ${tables}`);
      reporter.info?.(`Truncated ${filled.join(', ')}`);
    }
    const foreignKeys = await dropForeignKeys(client, plans);
    const indexes = await dropSecondaryIndexes(client, plans);
    const sourceDigests = await loadTables(source, client, plans, request, report);
    reporter.info?.('Rebuilding indexes and foreign keys; checking the source (integrity_check)');
    await rebuildWhileCheckingSource(client, source, indexes, foreignKeys);
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
  } catch (thrown) {
    if (committed) throw unverifiedCopyError(thrown);
    await client?.query('ROLLBACK').catch(() => undefined);
    const error = sourceReadError(thrown, 'the source', 'nothing was written');
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

/**
 * Index builds and foreign-key checks sort; more memory than the default 64 MB for this
 * transaction only keeps those sorts in memory for tables of millions of rows. They go to
 * PostgreSQL as one query, so that it works through all of them while this thread runs the
 * source's integrity_check (every page read, every index checked against its table: seconds per
 * hundred MB on one core, which would otherwise wait in turn). It must pass before COMMIT: a
 * corrupt source is rolled back.
 */
async function rebuildWhileCheckingSource(
  client: Client,
  source: Database.Database,
  indexes: IndexDefinition[],
  foreignKeys: ForeignKeyDefinition[],
): Promise<void> {
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
