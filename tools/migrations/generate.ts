import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Dialect,
  DIALECTS,
  DiffOptions,
  SchemaDiff,
  schemaDiff,
  ScratchDatabases,
} from './schema-diff';

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
  /** Told what the migration written loses (see {@link dataLossWarnings}). */
  warn?: (message: string) => void;
}

/**
 * Writes migration `name` for both dialects at once, each generated against a throw-away
 * database of its dialect brought to the current schema. Returns the files written.
 */
export async function generateMigration(
  name: string,
  options: GenerateOptions = {},
): Promise<string[]> {
  assertMigrationName(name);
  const root = options.root ?? MIGRATIONS_ROOT;
  const timestamp = options.timestamp ?? Date.now();
  const scratch = new ScratchDatabases();
  try {
    const diffs = [];
    for (const dialect of DIALECTS) diffs.push(await schemaDiff(dialect, scratch, options));
    if (diffs.every((d) => d.up.length === 0)) throw new NoSchemaChangesError();
    for (const warning of diffs.flatMap(dataLossWarnings)) options.warn?.(warning);
    return diffs.map((diff) =>
      writeMigration({
        root,
        dialect: diff.dialect,
        name,
        timestamp,
        up: queries(diff.up),
        down: queries(diff.down),
      }),
    );
  } finally {
    await scratch.close();
  }
}

/**
 * The columns a generated PostgreSQL migration drops with their values. TypeORM writes a change of
 * a column's type or length there as DROP COLUMN then ADD (SQLite's table rebuild copies the
 * values), and a renamed column, on both dialects, as one dropped and another added.
 */
export function dataLossWarnings({ dialect, up }: SchemaDiff): string[] {
  if (dialect !== 'postgres') return [];
  const added = new Set(
    up.flatMap((sql) => {
      const m = /^ALTER TABLE "([^"]+)" ADD "([^"]+)"/.exec(sql);
      return m ? [`${m[1]}.${m[2]}`] : [];
    }),
  );
  return up.flatMap((sql) => {
    const m = /^ALTER TABLE "([^"]+)" DROP COLUMN "([^"]+)"$/.exec(sql);
    if (!m) return [];
    const [, table, column] = m;
    return added.has(`${table}.${column}`)
      ? [
          `postgres: the migration changes column ${table}.${column} by dropping it and adding ` +
            'it again (as TypeORM writes a change of type or length), which loses its values, in ' +
            `up() and down(): to keep them, write ALTER TABLE "${table}" ALTER COLUMN ` +
            `"${column}" TYPE … in both instead`,
        ]
      : [
          `postgres: up() drops column ${table}.${column} with its values: if it was renamed, ` +
            `write ALTER TABLE "${table}" RENAME COLUMN … instead, in both dialects' migrations ` +
            "(SQLite's table rebuild does not copy it either)",
        ];
  });
}

/** The entities hold nothing the migrations lack: there is no migration to write. */
export class NoSchemaChangesError extends Error {
  constructor() {
    super('no schema changes: the migrations already match the entities');
  }
}

/** Class names are `<Name><timestamp>`: PascalCase, as TypeORM and the registries expect. */
export function assertMigrationName(name: string): void {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new Error(`migration name must be PascalCase letters and digits, got "${name}"`);
  }
}

/** One migration's file, for {@link writeMigration}: `up` and `down` are its methods' bodies. */
export interface MigrationFile {
  root: string;
  dialect: Dialect;
  name: string;
  timestamp: number;
  up: string;
  down: string;
}

/**
 * Writes `<timestamp>-<name>.ts` (class `<name><timestamp>`) into the dialect's folder under
 * `root` and rewrites that folder's index.ts. Returns the file written.
 */
export function writeMigration({
  root,
  dialect,
  name,
  timestamp,
  up,
  down,
}: MigrationFile): string {
  const folder = join(root, dialect);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${timestamp}-${name}.ts`);
  writeFileSync(file, migrationSource(`${name}${timestamp}`, up, down));
  writeRegistry(folder, REGISTRY[dialect]);
  return file;
}

function quote(sql: string): string {
  return '`' + sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}

/** A method body running `sql`, one statement a line. */
function queries(sql: string[]): string {
  return sql.map((q) => `    await queryRunner.query(${quote(q)});`).join('\n');
}

function migrationSource(className: string, up: string, down: string): string {
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${up}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${down}
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
    `${imports}\n\n/** Migrations in the order they run (written by npm run migration:generate or :create). */\nexport const ${constant} = [\n${list}\n];\n`,
  );
}

if (require.main === module) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: npm run migration:generate -- <PascalCaseName>');
    process.exit(2);
  }
  generateMigration(name, {
    warn: (message) => console.error(`migration:generate: warning: ${message}`),
  }).then(
    (files) => files.forEach((f) => console.log(`migration:generate: wrote ${f}`)),
    // As migration:check: 1 when there is nothing to write, 2 when it could not generate.
    (error: Error) => {
      if (error instanceof NoSchemaChangesError) {
        console.error(`migration:generate: ${error.message}`);
        process.exit(1);
      }
      console.error(`migration:generate failed: ${error.message}`);
      process.exit(2);
    },
  );
}
