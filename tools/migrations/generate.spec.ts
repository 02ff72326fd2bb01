import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigration } from './create';
import { assertMigrationName, dataLossWarnings, generateMigration } from './generate';

describe('migration names', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'named-migrations-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('takes PascalCase letters and digits', () => {
    expect(() => assertMigrationName('AddIndex2')).not.toThrow();
  });

  // Each starts or ends like a valid name: the whole name must match, not a part of it.
  it.each(['Add/Index', 'AddIndex/../../x', 'AddIndex.ts', 'AddIndex\n', '../AddIndex'])(
    'generate and create refuse %j, writing nothing',
    async (name) => {
      const message = `migration name must be PascalCase letters and digits, got "${name}"`;
      expect(() => createMigration(name, { root })).toThrow(message);
      await expect(generateMigration(name, { root })).rejects.toThrow(message);
      expect(readdirSync(root)).toEqual([]);
    },
  );
});

describe('dataLossWarnings', () => {
  it('names a PostgreSQL column dropped and added again, and one dropped for good', () => {
    const up = [
      'ALTER TABLE "tags" DROP COLUMN "color"',
      'ALTER TABLE "tags" ADD "color" character varying(9)',
      'ALTER TABLE "tasks" DROP COLUMN "notes"',
      'ALTER TABLE "tasks" ADD "remarks" text',
    ];
    expect(dataLossWarnings({ dialect: 'postgres', up, down: [] })).toEqual([
      expect.stringMatching(/^postgres: the migration changes column tags\.color by dropping it /),
      expect.stringMatching(
        /^postgres: up\(\) drops column tasks\.notes with its values: .*RENAME/,
      ),
    ]);
  });

  it('says nothing for an added column (its down() drops it), nor for SQLite', () => {
    const added = {
      up: ['ALTER TABLE "projects" ADD "codename" character varying(40)'],
      down: ['ALTER TABLE "projects" DROP COLUMN "codename"'],
    };
    expect(dataLossWarnings({ dialect: 'postgres', ...added })).toEqual([]);
    expect(
      dataLossWarnings({ dialect: 'sqlite', up: ['ALTER TABLE "x" DROP COLUMN "y"'], down: [] }),
    ).toEqual([]);
  });
});
