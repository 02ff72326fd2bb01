import { Dialect, DIALECTS } from './schema-diff';
import { assertMigrationName, MIGRATIONS_ROOT, writeMigration } from './generate';

export interface CreateOptions {
  /** Folder holding `sqlite/` and `postgres/` (default: the app's migrations). */
  root?: string;
  /** Timestamp suffix of the class name (default: now). */
  timestamp?: number;
}

const DIALECT_NAMES: Record<Dialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/**
 * Writes an empty migration `name` for both dialects (same class name, registered in both
 * index.ts arrays), for a change the entities do not show: a data fix, an index TypeORM does not
 * model. Returns the files written.
 */
export function createMigration(name: string, options: CreateOptions = {}): string[] {
  assertMigrationName(name);
  const root = options.root ?? MIGRATIONS_ROOT;
  const timestamp = options.timestamp ?? Date.now();
  return DIALECTS.map((dialect) =>
    writeMigration({
      root,
      dialect,
      name,
      timestamp,
      up: `    // This migration's ${DIALECT_NAMES[dialect]} statements: await queryRunner.query(\`...\`);`,
      down: '    // The statements that undo up(), in reverse order.',
    }),
  );
}

if (require.main === module) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: npm run migration:create -- <PascalCaseName>');
    process.exit(2);
  }
  try {
    for (const file of createMigration(name)) console.log(`migration:create: wrote ${file}`);
  } catch (error) {
    console.error(`migration:create: ${(error as Error).message}`);
    process.exit(1);
  }
}
