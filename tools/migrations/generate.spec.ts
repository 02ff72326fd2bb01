import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigration } from './create';
import { assertMigrationName, generateMigration } from './generate';

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
