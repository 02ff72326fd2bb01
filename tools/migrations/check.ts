import { DIALECTS, DiffOptions, schemaDiff, ScratchDatabases, tablesIn } from './schema-diff';

/**
 * Compares the entities with the migrations on both dialects. Resolves to the problems found
 * (empty when entities and migrations agree).
 */
export async function checkMigrations(options: DiffOptions = {}): Promise<string[]> {
  const scratch = new ScratchDatabases();
  try {
    const problems: string[] = [];
    for (const dialect of DIALECTS) {
      const diff = await schemaDiff(dialect, scratch, options);
      if (diff.up.length > 0) {
        problems.push(
          `${dialect}: entities and migrations disagree on table(s) ${tablesIn(diff.up).join(', ')}` +
            ` (${diff.up.length} statement(s) missing; run npm run migration:generate -- <Name>)`,
        );
      }
    }
    return problems;
  } finally {
    await scratch.close();
  }
}

if (require.main === module) {
  checkMigrations().then(
    (problems) => {
      if (problems.length === 0) {
        console.log('migration:check: entities and migrations agree on sqlite and postgres');
        return;
      }
      for (const problem of problems) console.error(`migration:check: ${problem}`);
      process.exit(1);
    },
    (error: Error) => {
      console.error(`migration:check failed: ${error.message}`);
      process.exit(2);
    },
  );
}
