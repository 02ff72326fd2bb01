import { DataSource, EntityMetadata } from 'typeorm';
import { DbCopyError } from './db-copy-error';
import { ColumnKind, ColumnPlan } from './value-converters';

export interface TablePlan {
  name: string;
  columns: ColumnPlan[];
  /** Indexes into `columns` of the primary key, in key order. */
  primaryKey: number[];
  /** Serial/identity columns whose sequence is reset past the highest value. */
  sequenceColumns: string[];
  /** Tables this one references (its foreign-key parents). */
  parents: string[];
}

const KINDS: [RegExp, ColumnKind][] = [
  [/^(smallint|int2)$/, 'smallint'],
  [/^(int|integer|int4)$/, 'integer'],
  [/^(bigint|int8)$/, 'bigint'],
  [/^(boolean|bool)$/, 'boolean'],
  [/^(timestamp|timestamptz|timestamp with(out)? time zone|date)$/, 'timestamp'],
  [/^(json|jsonb)$/, 'json'],
  [/^(numeric|decimal)$/, 'decimal'],
  [/^(real|float4|float8|double precision|float)$/, 'float'],
  [/^(text|varchar|character varying|char|character|uuid|citext)$/, 'text'],
];

function kindOf(pgType: string, table: string, column: string): ColumnKind {
  const match = KINDS.find(([pattern]) => pattern.test(pgType));
  if (!match) throw new DbCopyError(`No conversion for ${table}.${column} of type ${pgType}`, 2);
  return match[1];
}

function planTable(dataSource: DataSource, metadata: EntityMetadata): TablePlan {
  const seen = new Set<string>();
  const columns: ColumnPlan[] = [];
  const sequenceColumns: string[] = [];
  for (const column of metadata.columns) {
    if (seen.has(column.databaseName)) continue;
    seen.add(column.databaseName);
    const pgType = dataSource.driver.normalizeType(column);
    const kind = kindOf(pgType, metadata.tableName, column.databaseName);
    columns.push({
      name: column.databaseName,
      kind,
      pgType,
      nullable: column.isNullable,
      maxLength: kind === 'text' && column.length ? Number(column.length) : undefined,
      precision: kind === 'decimal' ? (column.precision ?? undefined) : undefined,
      scale: kind === 'decimal' ? (column.scale ?? undefined) : undefined,
    });
    if (column.isGenerated && ['increment', 'identity'].includes(column.generationStrategy!)) {
      sequenceColumns.push(column.databaseName);
    }
  }
  const primaryKey = metadata.primaryColumns.map((pk) =>
    columns.findIndex((c) => c.name === pk.databaseName),
  );
  const parents = metadata.foreignKeys
    .map((fk) => fk.referencedEntityMetadata.tableName)
    .filter((name) => name !== metadata.tableName);
  return { name: metadata.tableName, columns, primaryKey, sequenceColumns, parents };
}

/**
 * The copy plan from TypeORM's entity metadata (junction tables included), parents before
 * children so that every foreign key finds its row.
 */
export function planTables(dataSource: DataSource): TablePlan[] {
  const plans = dataSource.entityMetadatas
    .filter((m) => m.tableType === 'regular' || m.tableType === 'junction')
    .map((m) => planTable(dataSource, m));
  const byName = new Map(plans.map((p) => [p.name, p]));
  const ordered: TablePlan[] = [];
  const visiting = new Set<string>();
  const visit = (plan: TablePlan) => {
    if (ordered.includes(plan)) return;
    if (visiting.has(plan.name)) throw new DbCopyError(`Foreign-key cycle at ${plan.name}`, 2);
    visiting.add(plan.name);
    for (const parent of plan.parents) {
      const parentPlan = byName.get(parent);
      if (parentPlan) visit(parentPlan);
    }
    visiting.delete(plan.name);
    ordered.push(plan);
  };
  [...plans].sort((a, b) => a.name.localeCompare(b.name)).forEach(visit);
  return ordered;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The SQLite expression that reads a column. TypeORM stores `jsonb` columns on SQLite as SQLite's
 * binary JSONB (written through `jsonb(?)`), so a valid JSONB blob is read back as JSON text; any
 * other blob stays a blob and is reported as unconvertible. An INTEGER (another tool's bare JSON
 * number) is read as its text: as a JavaScript number it would lose digits beyond 2^53, on both
 * sides of the verification alike.
 */
export function sourceColumn(column: ColumnPlan): string {
  const name = quoteIdent(column.name);
  if (column.kind !== 'json') return name;
  return (
    `CASE WHEN typeof(${name}) = 'blob' AND json_valid(${name}, 8) THEN json(${name}) ` +
    `WHEN typeof(${name}) = 'integer' THEN CAST(${name} AS TEXT) ELSE ${name} END AS ${name}`
  );
}
