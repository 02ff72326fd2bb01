import type Database from 'better-sqlite3';
import { quoteIdent, TablePlan } from './table-plan';
import { InvalidValue } from './value-converters';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * SQLite stores TEXT bytes as given, and better-sqlite3 decodes invalid UTF-8 as U+FFFD without
 * a word: the copy would write the replacement characters and verification would pass, since
 * both sides decode the same lossy way. Reading every value as a blob would slow the copy, so
 * only a value that contains U+FFFD is read again, as bytes by primary key, and decoded strictly
 * (a genuine U+FFFD is valid UTF-8 and passes). Throws InvalidValue for invalid UTF-8.
 */
export function utf8Checker(
  source: Database.Database,
  plan: TablePlan,
): (row: unknown[], column: number) => void {
  const statements = new Map<number, Database.Statement>();
  const where = plan.primaryKey.map((i) => `${quoteIdent(plan.columns[i].name)} = ?`).join(' AND ');
  return (row, column) => {
    let statement = statements.get(column);
    if (!statement) {
      const name = quoteIdent(plan.columns[column].name);
      // Only TEXT: a blob (SQLite JSONB) is read through json(), whose output is valid UTF-8.
      statement = source
        .prepare(
          `SELECT CASE WHEN typeof(${name}) = 'text' THEN CAST(${name} AS BLOB) END ` +
            `FROM ${quoteIdent(plan.name)} WHERE ${where}`,
        )
        .pluck();
      statements.set(column, statement);
    }
    const bytes = statement.get(...plan.primaryKey.map((i) => row[i])) as Buffer | null;
    if (!bytes) return;
    try {
      strictUtf8.decode(bytes);
    } catch {
      throw new InvalidValue('not valid UTF-8');
    }
  };
}
