import { Client } from 'pg';
import { quoteIdent, TablePlan } from './table-plan';

export interface IndexDefinition {
  name: string;
  /** `pg_get_indexdef`: the exact `CREATE INDEX` statement the migrations produced. */
  definition: string;
}

/**
 * Drops the plain secondary indexes of the copied tables (not those behind a primary-key,
 * unique or exclusion constraint) for the bulk load, and returns their exact definitions:
 * building an index once over the loaded rows is cheaper than maintaining it row by row.
 * Only ever called inside the copy transaction, so a failure or a kill rolls the drop back.
 */
export async function dropSecondaryIndexes(
  client: Client,
  plans: TablePlan[],
): Promise<IndexDefinition[]> {
  const { rows } = await client.query<IndexDefinition & { qualified: string }>(
    `SELECT i.indexrelid::regclass::text AS "qualified", c.relname AS "name",
            pg_get_indexdef(i.indexrelid) AS "definition"
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = ANY($1::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      ORDER BY c.relname`,
    [plans.map((p) => quoteIdent(p.name))],
  );
  for (const index of rows) await client.query(`DROP INDEX ${index.qualified}`);
  return rows.map(({ name, definition }) => ({ name, definition }));
}

/** The statements that re-create the dropped indexes (same names, same columns). */
export function restoreIndexStatements(indexes: IndexDefinition[]): string[] {
  return indexes.map((index) => index.definition);
}
