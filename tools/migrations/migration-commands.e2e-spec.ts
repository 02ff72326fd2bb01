import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../testing/free-port';
import { spawnApi } from '../testing/spawn-api';
import { DIALECTS } from '../testing/test-api';
import { MIGRATIONS_ROOT } from './generate';

const ROOT = join(__dirname, '../..');
const SCRIPTS: Record<string, string> = JSON.parse(
  readFileSync(join(ROOT, 'package.json'), 'utf8'),
).scripts;

/**
 * `npm run <script> -- <args>` as package.json has it (`node` and its arguments), in a child
 * process with `env`. A configured SQLite database that does not exist yet: the commands use
 * throw-away databases, and TEST_DATABASE_URL's server for PostgreSQL, never this one.
 */
async function npmRun(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const [command, ...nodeArgs] = SCRIPTS[script].split(' ');
  expect(command).toBe('node');
  const dir = mkdtempSync(join(tmpdir(), 'migration-commands-'));
  try {
    const child = await spawnApi(
      {
        DB_TYPE: 'sqlite',
        SQLITE_PATH: join(dir, 'app.sqlite'),
        TEST_DATABASE_URL: process.env.TEST_DATABASE_URL!,
        ...env,
      },
      { args: [...nodeArgs, ...args], cwd: ROOT },
    );
    const code = await child.exited;
    expect(readdirSync(dir)).toEqual([]);
    return { code, output: child.output() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every file in the migration folders, with its content. */
function migrationFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dialect of DIALECTS) {
    for (const name of readdirSync(join(MIGRATIONS_ROOT, dialect))) {
      const path = join(MIGRATIONS_ROOT, dialect, name);
      files.set(path, readFileSync(path, 'utf8'));
    }
  }
  return files;
}

/** Puts the migration folders back as `files` had them, should a command have written there. */
function restoreMigrationFiles(files: Map<string, string>): void {
  const now = migrationFiles();
  for (const path of now.keys()) if (!files.has(path)) rmSync(path);
  for (const [path, content] of files) if (now.get(path) !== content) writeFileSync(path, content);
}

describe('npm run migration:check and migration:generate', () => {
  const before = migrationFiles();
  afterEach(() => restoreMigrationFiles(before));

  it('check exits 0 when the entities and the migrations agree', async () => {
    expect(await npmRun('migration:check')).toEqual({
      code: 0,
      output: 'migration:check: entities and migrations agree on sqlite and postgres\n',
    });
  });

  it('check exits 1, naming the table on both dialects, when an entity has no migration', async () => {
    const preload = join(__dirname, 'fixtures/project-codename-preload.ts');
    const { code, output } = await npmRun('migration:check', [], {
      NODE_OPTIONS: `--require @swc-node/register --require "${preload}"`,
    });
    expect(code).toBe(1);
    expect(output.split('\n')).toEqual([
      expect.stringMatching(/^migration:check: sqlite: .*table\(s\) projects .*migration:generate/),
      expect.stringMatching(
        /^migration:check: postgres: .*table\(s\) projects .*migration:generate/,
      ),
      '',
    ]);
  });

  it('check exits 2, saying why, when it cannot compare', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const { code, output } = await npmRun('migration:check', [], { TEST_DATABASE_URL: url });
    expect(code).toBe(2);
    expect(output).toMatch(/^migration:check failed: .*ECONNREFUSED.*\n$/);
  });

  it('generate exits 1 and writes nothing when the migrations already match the entities', async () => {
    expect(await npmRun('migration:generate', ['NothingToDo'])).toEqual({
      code: 1,
      output: 'migration:generate: no schema changes: the migrations already match the entities\n',
    });
    expect(migrationFiles()).toEqual(before);
  });

  it('generate warns, naming the column, when a PostgreSQL migration drops values', async () => {
    const preload = join(__dirname, 'fixtures/tag-color-length-preload.ts');
    const { code, output } = await npmRun('migration:generate', ['WidenTagColor'], {
      NODE_OPTIONS: `--require @swc-node/register --require "${preload}"`,
    });
    expect(code).toBe(0);
    const lines = output.split('\n');
    expect(lines).toContainEqual(
      'migration:generate: warning: postgres: the migration changes column tags.color by ' +
        'dropping it and adding it again (as TypeORM writes a change of type or length), which ' +
        'loses its values, in up() and down(): to keep them, write ALTER TABLE "tags" ALTER ' +
        'COLUMN "color" TYPE … in both instead',
    );
    expect(lines.filter((l) => l.includes('warning'))).toHaveLength(1);
  });

  it('generate exits 2, saying why, when it cannot compare', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const { code, output } = await npmRun('migration:generate', ['AddThing'], {
      TEST_DATABASE_URL: url,
    });
    expect(code).toBe(2);
    expect(output).toMatch(/^migration:generate failed: .*ECONNREFUSED.*\n$/);
    expect(migrationFiles()).toEqual(before);
  });

  it('generate exits 2, naming the rule, for a name that is not PascalCase', async () => {
    expect(await npmRun('migration:generate', ['add-thing'])).toEqual({
      code: 2,
      output:
        'migration:generate failed: migration name must be PascalCase letters and digits, got "add-thing"\n',
    });
    expect(migrationFiles()).toEqual(before);
  });

  it('generate exits 2 with its usage when no name is given', async () => {
    expect(await npmRun('migration:generate')).toEqual({
      code: 2,
      output: 'usage: npm run migration:generate -- <PascalCaseName>\n',
    });
    expect(migrationFiles()).toEqual(before);
  });
});
