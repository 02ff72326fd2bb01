import type { QueryRunner } from 'typeorm';

interface Violation {
  table: string;
  rowid: number;
  parent: string;
}

const violations = (runner: QueryRunner): Promise<Violation[]> =>
  runner.query('PRAGMA foreign_key_check');

/** A violation's foreign key: rowids are not kept across TypeORM's table rebuilds, this is. */
const keyOf = (v: Violation) => `${v.table} -> ${v.parent}`;

/**
 * Runs `change` (migrations, with foreign keys off) and throws, naming a sample, if it left more
 * rows breaking a foreign key than there were before. Rows another tool wrote without a parent
 * (SQLite enforces foreign keys only where they are on) are the data's, not the migration's:
 * they neither stop a migration nor are they blamed on one.
 */
export async function foreignKeysChecked<T>(
  runner: QueryRunner,
  change: () => Promise<T>,
): Promise<T> {
  const before = new Map<string, number>();
  for (const v of await violations(runner)) before.set(keyOf(v), (before.get(keyOf(v)) ?? 0) + 1);
  const result = await change();
  const added = (await violations(runner)).filter((v) => {
    const left = before.get(keyOf(v)) ?? 0;
    before.set(keyOf(v), left - 1);
    return left <= 0;
  });
  if (added.length === 0) return result;
  const sample = added
    .slice(0, 5)
    .map((v) => `${v.table} rowid ${v.rowid} -> ${v.parent}`)
    .join('; ');
  throw new Error(
    `migration left ${added.length} foreign key violation(s), rolled back: ${sample}`,
  );
}
