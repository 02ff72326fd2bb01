import { Client } from 'pg';
import { quoteIdent, TablePlan } from './table-plan';

export interface ForeignKeyDefinition {
  table: string;
  name: string;
  definition: string;
}

/**
 * Drops the migrations' foreign keys for the bulk load (one check per key at the end instead
 * of a trigger per row) and returns their exact definitions. Only ever called inside the copy
 * transaction, so a failure or a kill rolls the drop back with everything else.
 */
export async function dropForeignKeys(
  client: Client,
  plans: TablePlan[],
): Promise<ForeignKeyDefinition[]> {
  const { rows } = await client.query<ForeignKeyDefinition>(
    `SELECT c.conrelid::regclass::text AS "table", c.conname AS "name",
            pg_get_constraintdef(c.oid) AS "definition"
       FROM pg_constraint c
      WHERE c.contype = 'f' AND c.conrelid = ANY($1::regclass[])
      ORDER BY c.conname`,
    [plans.map((p) => quoteIdent(p.name))],
  );
  for (const fk of rows) {
    await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${quoteIdent(fk.name)}`);
  }
  return rows;
}

/** The statements that re-create the dropped keys; PostgreSQL checks every row against its parent. */
export function restoreForeignKeyStatements(foreignKeys: ForeignKeyDefinition[]): string[] {
  return foreignKeys.map(
    (fk) => `ALTER TABLE ${fk.table} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.definition}`,
  );
}
