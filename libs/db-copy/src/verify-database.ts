import type { HostSource } from '@app/config';
import { DbCopyError, maskUrl } from './db-copy-error';
import {
  beginSnapshot,
  checkSourceMigrations,
  checkSourceSchema,
  openSource,
  probeWriter,
  sourceReadError,
} from './source-database';
import { RoundedValues } from './rounded-values';
import { readSourceSequences, SequenceVerification, verifySequences } from './sequences';
import { planTables } from './table-plan';
import { connectTarget, openTargetDataSource, targetPendingMigrations } from './target-database';
import { TableVerification, verifyTable } from './verify-tables';

/** Source values db:copy refuses that are named one by one; the rest are counted. */
const MAX_INVALID_WARNINGS = 20;

export interface VerifyRequest {
  from: string;
  to: string;
  /** Where `to`'s host came from (default: the --to option), for the hints of a failed connection. */
  toHostSource?: HostSource;
  onTable?: (result: TableVerification) => void;
}

export interface VerifyReport {
  source: string;
  target: string;
  match: boolean;
  /**
   * Notices about the source (immutable fallback, a live writer, values db:copy refuses, such as
   * invalid UTF-8, which count as NULL).
   */
  warnings: string[];
  tables: TableVerification[];
  /** Each target sequence's next id against SQLite's (AUTOINCREMENT never reuses an id). */
  sequences: SequenceVerification[];
  ms: number;
}

/**
 * Compares every entity table of the SQLite file with PostgreSQL (counts and checksums), and
 * checks that no target sequence would hand out an id SQLite already used.
 */
export async function verifyDatabase(request: VerifyRequest): Promise<VerifyReport> {
  const started = Date.now();
  const { db: source, immutable, notices } = openSource(request.from);
  const warnings = [...notices];
  let client;
  try {
    beginSnapshot(source);
    if (!immutable) {
      const probe = probeWriter(source, request.from);
      if (probe.message) warnings.push(probe.message);
    }
    checkSourceMigrations(source, request.from);
    const dataSource = await openTargetDataSource(request.to, undefined, request.toHostSource);
    let plans, pending;
    try {
      plans = planTables(dataSource);
      pending = await targetPendingMigrations(dataSource);
    } finally {
      await dataSource.destroy();
    }
    warnings.push(...checkSourceSchema(source, plans));
    if (pending.length > 0) {
      throw new DbCopyError(
        `The target is not migrated (pending: ${pending.join(', ')}); run db:copy first.`,
        2,
      );
    }
    client = await connectTarget(request.to, request.toHostSource);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables: TableVerification[] = [];
    let invalidValues = 0;
    const onInvalid = (invalid: string) => {
      if (++invalidValues <= MAX_INVALID_WARNINGS) {
        warnings.push(`${invalid} (db:copy refuses it; counted as NULL)`);
      }
    };
    const rounded = new RoundedValues();
    for (const plan of plans) {
      const result = await verifyTable(source, client, plan, undefined, { onInvalid, rounded });
      tables.push(result);
      request.onTable?.(result);
    }
    const sequences = await verifySequences(client, readSourceSequences(source, plans));
    await client.query('COMMIT');
    if (invalidValues > MAX_INVALID_WARNINGS) {
      warnings.push(`${invalidValues - MAX_INVALID_WARNINGS} more source values db:copy refuses`);
    }
    warnings.push(...rounded.warnings());
    return {
      source: request.from,
      target: maskUrl(request.to),
      match: tables.every((t) => t.match) && sequences.every((s) => s.ok),
      warnings,
      tables,
      sequences,
      ms: Date.now() - started,
    };
  } catch (error) {
    throw sourceReadError(error, 'the source', 'nothing was changed (db:verify only reads)');
  } finally {
    await client?.end().catch(() => undefined);
    source.close();
  }
}
