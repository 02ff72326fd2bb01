import { StringDecoder } from 'node:string_decoder';
import type Database from 'better-sqlite3';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  hashFields,
  NULL_MARK,
  parseCopyLine,
  sourceCanonicalizer,
  TableDigest,
  targetCanonicalizer,
  targetSelectExpression,
} from './row-checksum';
import { quoteIdent, TablePlan } from './table-plan';
import { keyOf } from './copy-table';
import type { RoundedValues } from './rounded-values';
import { selectSource, SourceValues } from './source-values';
import { InvalidValue } from './value-converters';

export interface TableVerification {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  match: boolean;
  /** The first differing row (lowest primary key) and column, when they differ. */
  difference?: { key: string; column: string | null; source: string; target: string };
}

/** Receives each row's canonical values; the array is reused for the next row (copy to keep). */
type RowVisitor = (canonical: string[]) => void;

/** What a full scan of the source tells besides the digest. */
export interface SourceNotes {
  /** Told about each source value that counts as NULL because the copy would refuse it. */
  onInvalid?: (message: string) => void;
  /** Counts the decimals the copy writes rounded. */
  rounded?: RoundedValues;
}

/**
 * Canonical values of every source row. Values the copy refuses (or writes as NULL with
 * `--on-invalid=null`) count as NULL, invalid UTF-8 included: as in the copy, only a value that
 * holds U+FFFD is read again as bytes.
 */
function scanSource(
  db: Database.Database,
  plan: TablePlan,
  visit: RowVisitor,
  where = '',
  params: unknown[] = [],
  { onInvalid, rounded }: SourceNotes = {},
): void {
  const sourceValues = new SourceValues(db, plan, rounded);
  const canonical = plan.columns.map((c) => sourceCanonicalizer(c.kind));
  const statement = selectSource(db, plan, where);
  const width = plan.columns.length;
  const values = new Array<string>(width);
  for (const row of statement.iterate(...params) as IterableIterator<unknown[]>) {
    for (let i = 0; i < width; i++) {
      if (row[i] === null) values[i] = NULL_MARK;
      else
        try {
          values[i] = canonical[i](sourceValues.convert(row, i));
        } catch (error) {
          // Unlike the copy, any failure here (a canonicalizer's too) counts as NULL: a difference.
          values[i] = NULL_MARK;
          if (error instanceof InvalidValue) {
            onInvalid?.(
              `${plan.name} ${keyOf(plan, row)} column ${plan.columns[i].name}: ${error.message}`,
            );
          }
        }
    }
    visit(values);
  }
}

/** Canonical values of every target row, streamed through `COPY (SELECT ...) TO STDOUT`. */
async function scanTarget(
  client: Client,
  plan: TablePlan,
  visit: RowVisitor,
  where = '',
): Promise<void> {
  const canonical = plan.columns.map((c) => targetCanonicalizer(c.kind));
  const expressions = plan.columns.map((c) => targetSelectExpression(c.kind, quoteIdent(c.name)));
  const stream = client.query(
    copyTo(
      `COPY (SELECT ${expressions.join(', ')} FROM ${quoteIdent(plan.name)} ${where}) TO STDOUT`,
    ),
  );
  const decoder = new StringDecoder('utf8');
  const width = plan.columns.length;
  const values = new Array<string>(width);
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + decoder.write(chunk as Buffer);
    let start = 0;
    let end: number;
    while ((end = text.indexOf('\n', start)) !== -1) {
      const line = text.slice(start, end);
      start = end + 1;
      if (line.indexOf('\\') !== -1) {
        // Escapes or NULLs in this row: the general parser.
        const fields = parseCopyLine(line);
        for (let i = 0; i < width; i++) {
          const field = fields[i];
          values[i] = field === null ? NULL_MARK : canonical[i](field);
        }
      } else {
        // No backslash, so no escapes and no \N: plain tab-separated values.
        let from = 0;
        for (let i = 0; i < width; i++) {
          let to = line.indexOf('\t', from);
          if (to === -1) to = line.length;
          values[i] = canonical[i](line.slice(from, to));
          from = to + 1;
        }
      }
      visit(values);
    }
    rest = text.slice(start);
  }
}

function keyText(plan: TablePlan, values: string[]): string {
  return plan.primaryKey.map((i) => `${plan.columns[i].name}=${values[i]}`).join(', ');
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const numeric = /^-?\d+$/.test(a[i]) && /^-?\d+$/.test(b[i]);
    const diff = numeric ? Number(BigInt(a[i]) - BigInt(b[i])) : a[i].localeCompare(b[i]);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * Row counts and order-independent checksums of canonical values, both sides streamed.
 * `sourceDigest`, when given, was computed while copying (the same canonical values from the
 * same snapshot), so only the target is read here; otherwise the source's scan tells `notes`.
 */
export async function verifyTable(
  source: Database.Database,
  client: Client,
  plan: TablePlan,
  sourceDigest?: TableDigest,
  notes?: SourceNotes,
): Promise<TableVerification> {
  if (!sourceDigest) {
    const digest = (sourceDigest = new TableDigest());
    scanSource(source, plan, (values) => digest.addFields(values), '', [], notes);
  }
  const targetDigest = new TableDigest();
  await scanTarget(client, plan, (values) => targetDigest.addFields(values));
  const result: TableVerification = {
    table: plan.name,
    sourceRows: sourceDigest.rows,
    targetRows: targetDigest.rows,
    sourceChecksum: sourceDigest.checksum,
    targetChecksum: targetDigest.checksum,
    match:
      sourceDigest.rows === targetDigest.rows && sourceDigest.checksum === targetDigest.checksum,
  };
  if (!result.match) result.difference = await locateDifference(source, client, plan);
  return result;
}

/** Per-row hashes keyed by primary key on both sides; then the first differing column. */
async function locateDifference(
  source: Database.Database,
  client: Client,
  plan: TablePlan,
): Promise<TableVerification['difference']> {
  const pk = (values: string[]) => plan.primaryKey.map((i) => values[i]);
  const sourceHashes = new Map<string, string>();
  scanSource(source, plan, (values) =>
    sourceHashes.set(pk(values).join('\u0001'), hashFields(values).join(':')),
  );
  let first: string[] | undefined;
  const consider = (key: string[]) => {
    if (!first || compareKeys(key, first) < 0) first = key;
  };
  await scanTarget(client, plan, (values) => {
    const key = pk(values).join('\u0001');
    const hash = sourceHashes.get(key);
    if (hash !== hashFields(values).join(':')) consider(pk(values));
    sourceHashes.delete(key);
  });
  for (const key of sourceHashes.keys()) consider(key.split('\u0001'));
  if (!first) return undefined;

  const keyColumns = plan.primaryKey.map((i) => plan.columns[i]);
  const sqliteWhere = `WHERE ${keyColumns.map((c) => `${quoteIdent(c.name)} = ?`).join(' AND ')}`;
  const pgWhere = `WHERE ${keyColumns
    .map((c, i) => `${quoteIdent(c.name)} = '${first![i].replace(/'/g, "''")}'`)
    .join(' AND ')}`;
  let sourceRow: string[] | undefined;
  let targetRow: string[] | undefined;
  scanSource(source, plan, (values) => (sourceRow = values.slice()), sqliteWhere, first);
  await scanTarget(client, plan, (values) => (targetRow = values.slice()), pgWhere);
  const key = keyText(plan, sourceRow ?? targetRow ?? first);
  const show = (v: string | undefined) => (v === NULL_MARK ? 'NULL' : (v ?? '<missing row>'));
  if (!sourceRow || !targetRow) {
    return {
      key,
      column: null,
      source: sourceRow ? 'row present' : '<missing row>',
      target: targetRow ? 'row present' : '<missing row>',
    };
  }
  const index = plan.columns.findIndex((_, i) => sourceRow![i] !== targetRow![i]);
  return {
    key,
    column: index === -1 ? null : plan.columns[index].name,
    source: show(sourceRow[index]).slice(0, 80),
    target: show(targetRow[index]).slice(0, 80),
  };
}
