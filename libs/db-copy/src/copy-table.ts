import { finished } from 'node:stream/promises';
import type Database from 'better-sqlite3';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RoundedValues } from './rounded-values';
import { escapeCopyText, NULL_MARK, sourceCanonicalizer, TableDigest } from './row-checksum';
import { sourceReadError } from './source-database';
import { selectSource, SourceValues } from './source-values';
import { quoteIdent, TablePlan } from './table-plan';
import { InvalidValue } from './value-converters';

export type OnInvalid = 'fail' | 'null';

/** A source value that could not be converted. */
export interface InvalidValueIssue {
  table: string;
  /** Primary key as `col=value[, col=value]`. */
  key: string;
  column: string;
  reason: string;
  sample: string;
  /** True when it was written as NULL (`--on-invalid=null` on a nullable column). */
  nulled: boolean;
}

export interface CopyTableOptions {
  onInvalid: OnInvalid;
  /** Characters per COPY write. */
  chunkSize: number;
  /** Stop scanning after this many fatal issues. */
  maxIssues: number;
  onProgress?: (rows: number) => void;
  /**
   * Receives the canonical values of every row written (as `verifyTable` computes them from
   * the source), so that verification after the copy only has to read the target.
   */
  digest?: TableDigest;
  /** Counts the decimals written rounded. */
  rounded?: RoundedValues;
}

export function sampleOf(value: unknown): string {
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function keyOf(plan: TablePlan, row: unknown[]): string {
  return plan.primaryKey.map((i) => `${plan.columns[i].name}=${String(row[i])}`).join(', ');
}

/** Where a table's refused values go: the report's `invalid` and `nulledValues`. */
export interface FoundInvalid {
  invalid: InvalidValueIssue[];
  nulledValues: number;
}

/**
 * Keeps `issue`: a fatal one always (the caller stops at its cap), one written as NULL only
 * among the first `maxIssues` of its table (`nulledBefore`: the count when the table began), but
 * counted: a "no date" 0 in each of a million rows would otherwise be a million lines and
 * objects held until the report.
 */
export function recordIssue(
  found: FoundInvalid,
  issue: InvalidValueIssue,
  nulledBefore: number,
  maxIssues: number,
): void {
  if (!issue.nulled || ++found.nulledValues - nulledBefore <= maxIssues) found.invalid.push(issue);
}

/** The issue for `row[i]`, refused with `error`, as the copy and the dry run report it. */
export function invalidValueIssue(
  plan: TablePlan,
  row: unknown[],
  i: number,
  error: InvalidValue,
  onInvalid: OnInvalid,
): InvalidValueIssue {
  const column = plan.columns[i];
  const notNull = onInvalid === 'null' && !column.nullable ? ' (NOT NULL column)' : '';
  return {
    table: plan.name,
    key: keyOf(plan, row),
    column: column.name,
    reason: error.message + notNull,
    sample: sampleOf(row[i]),
    nulled: onInvalid === 'null' && column.nullable,
  };
}

/**
 * Streams one table from SQLite into PostgreSQL `COPY ... FROM STDIN` (text format), converting
 * each value with its column's precomputed converter. Awaits only when the socket pushes back.
 * Returns the rows written; fatal issues are pushed to `found.invalid` and the COPY is aborted.
 */
export async function copyTable(
  source: Database.Database,
  client: Client,
  plan: TablePlan,
  options: CopyTableOptions,
  found: FoundInvalid,
): Promise<number> {
  const issues = found.invalid;
  const { columns } = plan;
  const width = columns.length;
  const values = new SourceValues(source, plan, options.rounded);
  const escapes = columns.map((c) => c.kind === 'text' || c.kind === 'json');
  const digest = options.digest;
  const canonicalizers = columns.map((c) => sourceCanonicalizer(c.kind));
  const canonical = new Array<string>(width);
  const columnList = columns.map((c) => quoteIdent(c.name)).join(', ');
  const select = selectSource(source, plan);

  const copy = client.query(copyFrom(`COPY ${quoteIdent(plan.name)} (${columnList}) FROM STDIN`));
  let copyError: Error | undefined;
  copy.on('error', (error) => (copyError ??= error));
  const fatalBefore = issues.filter((i) => !i.nulled).length;
  const nulledBefore = found.nulledValues;
  let fatal = fatalBefore;
  let rows = 0;
  let chunk = '';

  // Rows are appended to `chunk` directly; a row that fails leaves a partial line there, but
  // after a fatal issue nothing more is written (the COPY is aborted below), so the text is
  // dropped at each row's end: kept, the rest of a large table would grow one string past what
  // JavaScript can hold ("Invalid string length" instead of the report of invalid values).
  try {
    for (const row of select.iterate() as IterableIterator<unknown[]>) {
      let rowFailed = false;
      for (let i = 0; i < width; i++) {
        if (i > 0) chunk += '\t';
        const value = row[i];
        if (value === null) {
          chunk += '\\N';
          canonical[i] = NULL_MARK;
          continue;
        }
        try {
          const text = values.convert(row, i);
          chunk += escapes[i] ? escapeCopyText(text) : text;
          if (digest) canonical[i] = canonicalizers[i](text);
        } catch (error) {
          if (!(error instanceof InvalidValue)) throw error;
          const issue = invalidValueIssue(plan, row, i, error, options.onInvalid);
          if (issue.nulled) chunk += '\\N';
          else rowFailed = true;
          recordIssue(found, issue, nulledBefore, options.maxIssues);
          canonical[i] = NULL_MARK;
        }
      }
      if (rowFailed && ++fatal - fatalBefore >= options.maxIssues) break;
      if (fatal > fatalBefore) {
        chunk = '';
        continue;
      }
      chunk += '\n';
      digest?.addFields(canonical);
      rows++;
      if (chunk.length >= options.chunkSize) {
        if (copyError) break;
        const flowing = copy.write(chunk);
        chunk = '';
        options.onProgress?.(rows);
        if (!flowing) await drained(copy);
      }
    }
  } catch (error) {
    // Any other failure (a corrupt source page, a value the checksum cannot read) must end the
    // COPY as well: left open, it keeps the client busy, and the caller's ROLLBACK would queue
    // behind it forever while the transaction holds its EXCLUSIVE locks.
    copy.destroy(error as Error);
    await finished(copy).catch(() => undefined);
    throw sourceReadError(
      error,
      `${plan.name} from the source`,
      'rolled back, nothing was written',
    );
  }

  if (fatal > fatalBefore || copyError) {
    const cause = copyError;
    copy.destroy(new Error('db:copy aborted: invalid values'));
    await finished(copy).catch(() => undefined);
    if (cause) throw cause;
    return rows;
  }
  if (chunk) copy.write(chunk);
  copy.end();
  await finished(copy);
  options.onProgress?.(rows);
  return rows;
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (error: Error) => {
      stream.off('drain', onDrain);
      reject(error);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
