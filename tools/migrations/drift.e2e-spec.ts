import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '@app/database';
import { checkMigrations } from './check';
import { addUnmigratedProjectColumn } from './fixtures/project-codename';
import { generateMigration } from './generate';

describe('drift between entities and migrations', () => {
  beforeAll(addUnmigratedProjectColumn);

  it('check names the table on both dialects; generate writes two migrations that fix it', async () => {
    const problems = await checkMigrations();
    expect(problems).toEqual([
      expect.stringMatching(/^sqlite: .*table\(s\) projects /),
      expect.stringMatching(/^postgres: .*table\(s\) projects /),
    ]);

    const root = mkdtempSync(join(tmpdir(), 'generated-migrations-'));
    const files = await generateMigration('AddProjectCodename', { root, timestamp: 1900000000000 });
    expect(files).toEqual([
      join(root, 'sqlite', '1900000000000-AddProjectCodename.ts'),
      join(root, 'postgres', '1900000000000-AddProjectCodename.ts'),
    ]);
    expect(readdirSync(join(root, 'sqlite')).sort()).toEqual([
      '1900000000000-AddProjectCodename.ts',
      'index.ts',
    ]);

    const { SQLITE_MIGRATIONS: sqlite } = require(join(root, 'sqlite'));
    const { POSTGRES_MIGRATIONS: postgres } = require(join(root, 'postgres'));
    expect(sqlite.map((m: Function) => m.name)).toEqual(['AddProjectCodename1900000000000']);
    expect(
      await checkMigrations({
        migrations: {
          sqlite: [...SQLITE_MIGRATIONS, ...sqlite],
          postgres: [...POSTGRES_MIGRATIONS, ...postgres],
        },
      }),
    ).toEqual([]);
    rmSync(root, { recursive: true, force: true });
  });
});
