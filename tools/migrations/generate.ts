import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dialect, DIALECTS, DiffOptions, schemaDiff, ScratchDatabases } from './schema-diff';

export const MIGRATIONS_ROOT = join(__dirname, '../../libs/database/src/migrations');

const REGISTRY: Record<Dialect, string> = {
  sqlite: 'SQLITE_MIGRATIONS',
  postgres: 'POSTGRES_MIGRATIONS',
};

export interface GenerateOptions extends DiffOptions {
  /** Folder holding `sqlite/` and `postgres/` (default: the app's migrations). */
  root?: string;
  /** Timestamp suffix of the class name (default: now). */
  timestamp?: number;
}

/**
 * Writes migration `name` for both dialects at once, each generated against a throw-away
 * database of its dialect brought to the current schema. Returns the files written.
 */
export async function generateMigration(
  name: string,
  options: GenerateOptions = {},
): Promise<string[]> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new Error(`migration name must be PascalCase letters and digits, got "${name}"`);
  }
  const root = options.root ?? MIGRATIONS_ROOT;
  const timestamp = options.timestamp ?? Date.now();
  const scratch = new ScratchDatabases();
  try {
    const diffs = [];
    for (const dialect of DIALECTS) diffs.push(await schemaDiff(dialect, scratch, options));
    if (diffs.every((d) => d.up.length === 0)) {
      throw new Error('no schema changes: the migrations already match the entities');
    }
    return diffs.map((diff) => {
      const folder = join(root, diff.dialect);
      mkdirSync(folder, { recursive: true });
      const file = join(folder, `${timestamp}-${name}.ts`);
      writeFileSync(file, migrationSource(`${name}${timestamp}`, diff.up, diff.down));
      writeRegistry(folder, REGISTRY[diff.dialect]);
      return file;
    });
  } finally {
    await scratch.close();
  }
}

function quote(sql: string): string {
  return '`' + sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}

function migrationSource(className: string, up: string[], down: string[]): string {
  const body = (queries: string[]) =>
    queries.map((q) => `    await queryRunner.query(${quote(q)});`).join('\n');
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${body(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${body(down)}
  }
}
`;
}

/** Rewrites the folder's index.ts: an explicit array of its migrations, oldest first. */
export function writeRegistry(folder: string, constant: string): void {
  const files = readdirSync(folder)
    .filter((f) => /^\d+-[A-Za-z0-9]+\.ts$/.test(f))
    .sort((a, b) => Number(a.split('-')[0]) - Number(b.split('-')[0]));
  const classes = files.map((f) => {
    const [timestamp, rest] = f.replace(/\.ts$/, '').split('-');
    return { file: f.replace(/\.ts$/, ''), name: `${rest}${timestamp}` };
  });
  const imports = classes.map((c) => `import { ${c.name} } from './${c.file}';`).join('\n');
  const list = classes.map((c) => `  ${c.name},`).join('\n');
  writeFileSync(
    join(folder, 'index.ts'),
    `${imports}\n\n/** Migrations in the order they run (written by npm run migration:generate). */\nexport const ${constant} = [\n${list}\n];\n`,
  );
}

if (require.main === module) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: npm run migration:generate -- <PascalCaseName>');
    process.exit(2);
  }
  generateMigration(name).then(
    (files) => files.forEach((f) => console.log(`migration:generate: wrote ${f}`)),
    (error: Error) => {
      console.error(`migration:generate: ${error.message}`);
      process.exit(1);
    },
  );
}
