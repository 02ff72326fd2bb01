import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions, createDataSource } from '@app/database';
import { createMigration } from './create';
import { MIGRATIONS_ROOT } from './generate';

describe('migration:create', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'created-migrations-'));
    cpSync(MIGRATIONS_ROOT, root, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes an empty migration for both dialects, registered last in both index.ts arrays', async () => {
    const files = createMigration('BackfillTaskColour', { root, timestamp: 1900000000000 });
    expect(files).toEqual([
      join(root, 'sqlite', '1900000000000-BackfillTaskColour.ts'),
      join(root, 'postgres', '1900000000000-BackfillTaskColour.ts'),
    ]);
    for (const [dialect, constant] of [
      ['sqlite', 'SQLITE_MIGRATIONS'],
      ['postgres', 'POSTGRES_MIGRATIONS'],
    ]) {
      const before = readdirSync(join(MIGRATIONS_ROOT, dialect)).filter((f) => f !== 'index.ts');
      expect(readdirSync(join(root, dialect)).sort()).toEqual(
        [...before, '1900000000000-BackfillTaskColour.ts', 'index.ts'].sort(),
      );
      const registry: Function[] = require(join(root, dialect))[constant];
      const known: Function[] = require(join(MIGRATIONS_ROOT, dialect))[constant];
      expect(registry.map((m) => m.name)).toEqual([
        ...known.map((m) => m.name),
        'BackfillTaskColour1900000000000',
      ]);
      const source = readFileSync(
        join(root, dialect, '1900000000000-BackfillTaskColour.ts'),
        'utf8',
      );
      expect(source).toContain("name = 'BackfillTaskColour1900000000000';");
      expect(source).not.toMatch(/^ *await /m); // no statement, only a comment
    }

    // It runs and reverts as it is: nothing but its row in the migrations table.
    const { SQLITE_MIGRATIONS } = require(join(root, 'sqlite'));
    const options: DataSourceOptions = {
      ...buildDataSourceOptions({
        type: 'sqlite',
        path: join(root, 'app.sqlite'),
        busyTimeoutMs: 5000,
        migrationsRun: false,
        pingTimeoutMs: 1000,
        connectRetries: 0,
      }),
      migrations: SQLITE_MIGRATIONS,
    };
    const dataSource = await createDataSource(options).initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.at(-1)?.name).toBe('BackfillTaskColour1900000000000');
      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(
        await dataSource.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1'),
      ).toEqual([{ name: SQLITE_MIGRATIONS.at(-2).name }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('refuses a name that is not PascalCase, writing nothing', () => {
    expect(() => createMigration('libs/database/add-thing', { root })).toThrow(
      'migration name must be PascalCase letters and digits, got "libs/database/add-thing"',
    );
    expect(readdirSync(join(root, 'sqlite'))).toEqual(readdirSync(join(MIGRATIONS_ROOT, 'sqlite')));
  });
});
