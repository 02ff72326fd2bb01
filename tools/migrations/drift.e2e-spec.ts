import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { loadConfig } from '@app/config';
import {
  buildDataSourceOptions,
  createDataSource,
  POSTGRES_MIGRATIONS,
  SQLITE_MIGRATIONS,
} from '@app/database';
import { Dialect, DIALECTS, freshDatabaseEnv } from '../testing/test-api';
import { checkMigrations } from './check';
import { addUnmigratedProjectColumn } from './fixtures/project-codename';
import { generateMigration } from './generate';

const KNOWN = { sqlite: SQLITE_MIGRATIONS, postgres: POSTGRES_MIGRATIONS };

async function projectColumns(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    return (await runner.getTable('projects'))!.columns.map((c) => c.name);
  } finally {
    await runner.release();
  }
}

describe('drift between entities and migrations', () => {
  let root: string;
  let files: string[];
  /** The migrations generated for the drift, per dialect (their index.ts arrays). */
  let generated: { sqlite: Function[]; postgres: Function[] };

  beforeAll(async () => {
    addUnmigratedProjectColumn();
    root = mkdtempSync(join(tmpdir(), 'generated-migrations-'));
    files = await generateMigration('AddProjectCodename', { root, timestamp: 1900000000000 });
    generated = {
      sqlite: require(join(root, 'sqlite')).SQLITE_MIGRATIONS,
      postgres: require(join(root, 'postgres')).POSTGRES_MIGRATIONS,
    };
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('check names the table on both dialects; generate writes two migrations that fix it', async () => {
    const problems = await checkMigrations();
    expect(problems).toEqual([
      expect.stringMatching(/^sqlite: .*table\(s\) projects /),
      expect.stringMatching(/^postgres: .*table\(s\) projects /),
    ]);

    expect(files).toEqual([
      join(root, 'sqlite', '1900000000000-AddProjectCodename.ts'),
      join(root, 'postgres', '1900000000000-AddProjectCodename.ts'),
    ]);
    expect(readdirSync(join(root, 'sqlite')).sort()).toEqual([
      '1900000000000-AddProjectCodename.ts',
      'index.ts',
    ]);
    expect(generated.sqlite.map((m) => m.name)).toEqual(['AddProjectCodename1900000000000']);
    expect(
      await checkMigrations({
        migrations: {
          sqlite: [...SQLITE_MIGRATIONS, ...generated.sqlite],
          postgres: [...POSTGRES_MIGRATIONS, ...generated.postgres],
        },
      }),
    ).toEqual([]);
  });

  /** A fresh database of `dialect` with the known migrations and the generated one (not run). */
  const withGenerated = async (dialect: Dialect) =>
    createDataSource({
      ...buildDataSourceOptions(
        loadConfig(await freshDatabaseEnv(dialect), '/nonexistent/.env').database,
      ),
      migrations: [...KNOWN[dialect], ...generated[dialect]],
    } as DataSourceOptions);

  it.each(DIALECTS)(
    '%s: the generated migration runs, and its down() undoes it',
    async (dialect) => {
      const dataSource = await withGenerated(dialect);
      await dataSource.initialize();
      try {
        await dataSource.runMigrations({ transaction: 'each' });
        expect(await projectColumns(dataSource)).toContain('codename');
        await dataSource.undoLastMigration({ transaction: 'each' });
        expect(await projectColumns(dataSource)).not.toContain('codename');
        const recorded = await dataSource.query('SELECT name FROM migrations ORDER BY id');
        expect(recorded.map((r: { name: string }) => r.name)).toEqual(
          KNOWN[dialect].map((m) => m.name),
        );
      } finally {
        await dataSource.destroy();
      }
    },
  );

  it.each(DIALECTS)(
    '%s: the generated migration and its down() never hand out an id again (SQLite rebuilds the table)',
    async (dialect) => {
      const dataSource = await withGenerated(dialect);
      let count = 0;
      const newProjectId = async () => {
        const [{ id }] = await dataSource.query(
          `INSERT INTO projects (name, "nameKey", "createdAt", "updatedAt")
           VALUES ('P${++count}', 'p${count}', '2026-01-01T12:00:00.000Z', '2026-01-01T12:00:00.000Z')
           RETURNING id`,
        );
        return Number(id);
      };
      await dataSource.initialize();
      try {
        await dataSource.runMigrations({ transaction: 'each' });
        await dataSource.undoLastMigration({ transaction: 'each' });
        // Projects 1 to 3; 3, the newest, is deleted: its id is used, and never handed out again.
        expect([await newProjectId(), await newProjectId(), await newProjectId()]).toEqual([
          1, 2, 3,
        ]);
        await dataSource.query('DELETE FROM projects WHERE id = 3');
        await dataSource.runMigrations({ transaction: 'each' });
        expect(await newProjectId()).toBe(4);
        await dataSource.query('DELETE FROM projects WHERE id = 4');
        await dataSource.undoLastMigration({ transaction: 'each' });
        expect(await newProjectId()).toBe(5);
      } finally {
        await dataSource.destroy();
      }
    },
  );

  it('generate refuses, writing nothing, when the migrations already match the entities', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'generated-migrations-'));
    try {
      await expect(
        generateMigration('NothingToDo', {
          root: empty,
          timestamp: 1900000000001,
          migrations: {
            sqlite: [...SQLITE_MIGRATIONS, ...generated.sqlite],
            postgres: [...POSTGRES_MIGRATIONS, ...generated.postgres],
          },
        }),
      ).rejects.toThrow('no schema changes: the migrations already match the entities');
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
