import type { HostSource } from '@app/config';
import type { InvalidValueIssue, OnInvalid } from './copy-table';
import type { SequenceVerification } from './sequences';
import type { TableVerification } from './verify-tables';

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
  /** Where `to`'s host came from (default: the --to option), for the hints of a failed connection. */
  toHostSource?: HostSource;
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
  /**
   * Values refused: every fatal one (up to MAX_ISSUES rows per table), and of those written as
   * NULL (`--on-invalid=null`) the first MAX_ISSUES of each table, counted in `nulledValues`.
   */
  invalid: InvalidValueIssue[];
  /** Every value written (or, in a dry run, to be written) as NULL under --on-invalid=null. */
  nulledValues: number;
  verification: TableVerification[];
  /** Each target sequence's next id against SQLite's (AUTOINCREMENT never reuses an id). */
  sequences: SequenceVerification[];
  ms: number;
}
