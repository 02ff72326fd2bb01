import { StringDecoder } from 'node:string_decoder';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  FIELD_SEPARATOR,
  hashRow,
  NULL_MARK,
  parseCopyLine,
  sourceCanonicalizer,
  TableDigest,
  targetCanonicalizer,
  targetSelectExpression,
} from './row-checksum';
import { quoteIdent, sourceColumn, TablePlan } from './table-plan';
import { converterFor } from './value-converters';

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

type RowVisitor = (canonical: string[]) => void;

/** Canonical values of every source row; unconvertible values count as NULL. */
function scanSource(
  db: Database.Database,
  plan: TablePlan,
  visit: RowVisitor,
  where = '',
  params: unknown[] = [],
): void {
  const converters = plan.columns.map(converterFor);
  const canonical = plan.columns.map((c) => sourceCanonicalizer(c.kind));
  const statement = db
    .prepare(
      `SELECT ${plan.columns.map(sourceColumn).join(', ')} FROM ${quoteIdent(plan.name)} ${where}`,
    )
    .raw(true)
    .safeIntegers(plan.columns.some((c) => c.kind === 'bigint'));
  const width = plan.columns.length;
  for (const row of statement.iterate(...params) as IterableIterator<unknown[]>) {
    const values = new Array<string>(width);
    for (let i = 0; i < width; i++) {
      const value = row[i];
      if (value === null) values[i] = NULL_MARK;
      else
        try {
          values[i] = canonical[i](converters[i](value));
        } catch {
          values[i] = NULL_MARK;
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
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + decoder.write(chunk as Buffer);
    let start = 0;
    let end: number;
    while ((end = text.indexOf('\n', start)) !== -1) {
      const fields = parseCopyLine(text.slice(start, end));
      visit(fields.map((f, i) => (f === null ? NULL_MARK : canonical[i](f))));
      start = end + 1;
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

/** Row counts and order-independent checksums of canonical values, both sides streamed. */
export async function verifyTable(
  source: Database.Database,
  client: Client,
  plan: TablePlan,
): Promise<TableVerification> {
  const sourceDigest = new TableDigest();
  const targetDigest = new TableDigest();
  scanSource(source, plan, (values) => sourceDigest.add(values.join(FIELD_SEPARATOR)));
  await scanTarget(client, plan, (values) => targetDigest.add(values.join(FIELD_SEPARATOR)));
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
    sourceHashes.set(pk(values).join('\u0001'), hashRow(values.join(FIELD_SEPARATOR)).join(':')),
  );
  let first: string[] | undefined;
  const consider = (key: string[]) => {
    if (!first || compareKeys(key, first) < 0) first = key;
  };
  await scanTarget(client, plan, (values) => {
    const key = pk(values).join('\u0001');
    const hash = sourceHashes.get(key);
    if (hash !== hashRow(values.join(FIELD_SEPARATOR)).join(':')) consider(pk(values));
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
  scanSource(source, plan, (values) => (sourceRow = values), sqliteWhere, first);
  await scanTarget(client, plan, (values) => (targetRow = values), pgWhere);
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
