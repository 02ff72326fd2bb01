import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataSource,
  DataSourceOptions,
  MigrationInterface,
  QueryRunner,
  TableColumn,
} from 'typeorm';
import { DatabaseConfig } from '@app/config';
import { buildDataSourceOptions, createDataSource } from './build-data-source-options';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';

/** Adds a column to the parent table: TypeORM rebuilds `projects` (DROP + rename) on SQLite. */
class AddProjectCodename1900000000001 implements MigrationInterface {
  name = 'AddProjectCodename1900000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    const column = new TableColumn({ name: 'codename', type: 'varchar', isNullable: true });
    await queryRunner.addColumn('projects', column);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('projects', 'codename');
  }
}

/** Changes a column type of a child that is itself a parent (`task_tags`): another rebuild. */
class WidenTaskTitle1900000000002 implements MigrationInterface {
  name = 'WidenTaskTitle1900000000002';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.changeColumn('tasks', 'title', title(300));
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.changeColumn('tasks', 'title', title(200));
  }
}

/** Leaves an orphan behind: the run must fail and roll back. */
class InsertOrphan1900000000003 implements MigrationInterface {
  name = 'InsertOrphan1900000000003';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO tasks ("projectId", title, "searchKey", "createdAt", "updatedAt") VALUES (999, 'orphan', 'orphan', '2026-01-01', '2026-01-01')`,
    );
  }
  async down(): Promise<void> {}
}

/**
 * What `npm run migration:generate` writes for a column added to `tags` (a parent of
 * `task_tags`): its down() renames `tags` away first, then copies it back and drops the copy.
 */
class AddTagIcon1900000000004 implements MigrationInterface {
  name = 'AddTagIcon1900000000004';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_tags_nameKey"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_tags" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL, "nameKey" text NOT NULL, "color" varchar(7), "icon" text)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_tags"("id", "name", "nameKey", "color") SELECT "id", "name", "nameKey", "color" FROM "tags"`,
    );
    await queryRunner.query(`DROP TABLE "tags"`);
    await queryRunner.query(`ALTER TABLE "temporary_tags" RENAME TO "tags"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_tags_nameKey" ON "tags" ("nameKey") `);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_tags_nameKey"`);
    await queryRunner.query(`ALTER TABLE "tags" RENAME TO "temporary_tags"`);
    await queryRunner.query(
      `CREATE TABLE "tags" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL, "nameKey" text NOT NULL, "color" varchar(7))`,
    );
    await queryRunner.query(
      `INSERT INTO "tags"("id", "name", "nameKey", "color") SELECT "id", "name", "nameKey", "color" FROM "temporary_tags"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_tags"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_tags_nameKey" ON "tags" ("nameKey") `);
  }
}

/** Renames the parent `tags` for good; `followed` turns legacy_alter_table off around it. */
function renameTagsToLabels(followed: boolean) {
  return class RenameTagsToLabels1900000000005 implements MigrationInterface {
    name = 'RenameTagsToLabels1900000000005';
    async up(queryRunner: QueryRunner): Promise<void> {
      if (followed) await queryRunner.query('PRAGMA legacy_alter_table = OFF');
      await queryRunner.query(`ALTER TABLE "tags" RENAME TO "labels"`);
      if (followed) await queryRunner.query('PRAGMA legacy_alter_table = ON');
    }
    async down(): Promise<void> {}
  };
}

function title(length: number): TableColumn {
  return new TableColumn({ name: 'title', type: 'varchar', length: String(length) });
}

const FIXTURES = [AddProjectCodename1900000000001, WidenTaskTitle1900000000002];

function sqliteOptions(): DataSourceOptions {
  const config: DatabaseConfig = {
    type: 'sqlite',
    path: join(mkdtempSync(join(tmpdir(), 'sqlite-rebuild-')), 'app.sqlite'),
    busyTimeoutMs: 5000,
    migrationsRun: false,
    pingTimeoutMs: 1000,
    connectRetries: 0,
  };
  return buildDataSourceOptions(config);
}

/** A database at the current schema with 10 projects, 30 tasks, 5 tags and 30 task tags. */
async function seededDatabase(): Promise<DataSourceOptions> {
  const options = sqliteOptions();
  const dataSource = await createDataSource(options).initialize();
  await dataSource.runMigrations();
  const now = new Date().toISOString();
  for (let p = 1; p <= 10; p++) {
    await dataSource.query(
      `INSERT INTO projects (id, name, "nameKey", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)`,
      [p, `P${p}`, `p${p}`, now, now],
    );
    for (let t = 1; t <= 3; t++) {
      await dataSource.query(
        `INSERT INTO tasks ("projectId", title, "searchKey", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)`,
        [p, `T${p}.${t}`, `t${p}.${t}`, now, now],
      );
    }
  }
  for (let g = 1; g <= 5; g++) {
    await dataSource.query(`INSERT INTO tags (id, name, "nameKey") VALUES (?, ?, ?)`, [
      g,
      `g${g}`,
      `g${g}`,
    ]);
  }
  for (let t = 1; t <= 30; t++) {
    await dataSource.query(`INSERT INTO task_tags ("taskId", "tagId") VALUES (?, ?)`, [
      t,
      (t % 5) + 1,
    ]);
  }
  await dataSource.destroy();
  return options;
}

async function counts(dataSource: DataSource) {
  const count = async (table: string) =>
    Number((await dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
  return {
    projects: await count('projects'),
    tasks: await count('tasks'),
    tags: await count('tags'),
    taskTags: await count('task_tags'),
    fkViolations: (await dataSource.query('PRAGMA foreign_key_check')).length,
    foreignKeys: (await dataSource.query('PRAGMA foreign_keys'))[0].foreign_keys,
    legacyAlterTable: (await dataSource.query('PRAGMA legacy_alter_table'))[0].legacy_alter_table,
  };
}

/** A task tag whose tag does not exist, written with foreign keys off, as another tool may. */
async function addOrphanTaskTag(options: DataSourceOptions): Promise<void> {
  const dataSource = await createDataSource(options).initialize();
  await dataSource.query('PRAGMA foreign_keys = OFF');
  await dataSource.query(`INSERT INTO task_tags ("taskId", "tagId") VALUES (1, 777)`);
  await dataSource.destroy();
}

/** Runs `use` on an initialized data source made from `options`, destroyed afterwards. */
async function withDataSource(
  options: DataSourceOptions,
  use: (dataSource: DataSource) => Promise<void>,
): Promise<void> {
  const dataSource = await createDataSource(options).initialize();
  try {
    await use(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

const INTACT = {
  projects: 10,
  tasks: 30,
  tags: 5,
  taskTags: 30,
  fkViolations: 0,
  foreignKeys: 1,
  legacyAlterTable: 0,
};

describe('SQLite table rebuilds in migrations', () => {
  it('keep every cascading child row when parent tables are rebuilt, up and down', async () => {
    const options = await seededDatabase();
    await withDataSource(
      { ...options, migrations: [...SQLITE_MIGRATIONS, ...FIXTURES] },
      async (dataSource) => {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        expect(applied.map((m) => m.name)).toEqual(FIXTURES.map((f) => f.name));
        const columns = await dataSource.query(`PRAGMA table_info(projects)`);
        expect(columns.map((c: { name: string }) => c.name)).toContain('codename');
        expect(await counts(dataSource)).toEqual(INTACT);

        await dataSource.undoLastMigration({ transaction: 'each' });
        await dataSource.undoLastMigration({ transaction: 'each' });
        expect(await counts(dataSource)).toEqual(INTACT);

        await dataSource.runMigrations({ transaction: 'none' });
        expect(await counts(dataSource)).toEqual(INTACT);

        // Foreign keys are on again: deleting a project still cascades.
        await dataSource.query('DELETE FROM projects WHERE id = 1');
        expect((await counts(dataSource)).tasks).toBe(27);
      },
    );
  });

  // Since SQLite 3.26 `ALTER TABLE tags RENAME TO temporary_tags` also rewrites the children's
  // REFERENCES (task_tags would point at temporary_tags, then dropped), unless
  // legacy_alter_table is on while foreign keys are off.
  it('reverts a generated rebuild that renames the parent away first, keeping its children', async () => {
    const options = await seededDatabase();
    await withDataSource(
      { ...options, migrations: [...SQLITE_MIGRATIONS, AddTagIcon1900000000004] },
      async (dataSource) => {
        await dataSource.runMigrations({ transaction: 'each' });
        expect(await counts(dataSource)).toEqual(INTACT);
        await expect(
          dataSource.undoLastMigration({ transaction: 'each' }),
        ).resolves.toBeUndefined();
        expect(await counts(dataSource)).toEqual(INTACT);
        const columns = await dataSource.query(`PRAGMA table_info(tags)`);
        expect(columns.map((c: { name: string }) => c.name)).not.toContain('icon');
        const [taskTags] = await dataSource.query(
          `SELECT sql FROM sqlite_master WHERE name = 'task_tags'`,
        );
        expect(taskTags.sql).toContain('REFERENCES "tags"');
        expect(taskTags.sql).not.toContain('temporary_tags');
        // Foreign keys are on again and still reach tags: deleting a tag cascades.
        await dataSource.query('DELETE FROM tags WHERE id = 1');
        expect((await counts(dataSource)).taskTags).toBe(24);
      },
    );
  });

  it("a parent renamed for good: refused unless the migration lets the children's references follow", async () => {
    const options = await seededDatabase();
    for (const followed of [false, true]) {
      await withDataSource(
        { ...options, migrations: [...SQLITE_MIGRATIONS, renameTagsToLabels(followed)] },
        async (dataSource) => {
          const run = dataSource.runMigrations({ transaction: 'each' });
          if (!followed) {
            await expect(run).rejects.toThrow(
              /^migration left 30 foreign key violation\(s\), rolled back: task_tags rowid 1 -> tags;/,
            );
            expect(await counts(dataSource)).toEqual(INTACT);
            return;
          }
          await expect(run).resolves.toHaveLength(1);
          const [taskTags] = await dataSource.query(
            `SELECT sql FROM sqlite_master WHERE name = 'task_tags'`,
          );
          expect(taskTags.sql).toContain('REFERENCES "labels"');
          expect(await dataSource.query('PRAGMA foreign_key_check')).toEqual([]);
          expect((await dataSource.query('PRAGMA legacy_alter_table'))[0].legacy_alter_table).toBe(
            0,
          );
        },
      );
    }
  });

  it('fails and rolls back a migration that leaves a foreign key violation', async () => {
    const options = await seededDatabase();
    await withDataSource(
      { ...options, migrations: [...SQLITE_MIGRATIONS, InsertOrphan1900000000003] },
      async (dataSource) => {
        await expect(dataSource.runMigrations({ transaction: 'each' })).rejects.toThrow(
          /1 foreign key violation\(s\), rolled back: tasks rowid 31 -> projects/,
        );
        expect(await counts(dataSource)).toEqual(INTACT);
        expect(await dataSource.query(`SELECT name FROM migrations`)).toHaveLength(
          SQLITE_MIGRATIONS.length,
        );
      },
    );
  });

  it('a run with nothing pending does not refuse rows that broke a foreign key before it', async () => {
    const options = await seededDatabase();
    await addOrphanTaskTag(options);
    // The app runs its migrations at every start (DB_MIGRATIONS_RUN=true): none is pending.
    await withDataSource(options, async (dataSource) => {
      await expect(dataSource.runMigrations({ transaction: 'each' })).resolves.toEqual([]);
      expect((await counts(dataSource)).fkViolations).toBe(1);
    });
  });

  it('applies and reverts migrations beside rows that broke a foreign key before the run', async () => {
    const options = await seededDatabase();
    await addOrphanTaskTag(options);
    await withDataSource(
      { ...options, migrations: [...SQLITE_MIGRATIONS, ...FIXTURES] },
      async (dataSource) => {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        expect(applied.map((m) => m.name)).toEqual(FIXTURES.map((f) => f.name));
        await dataSource.undoLastMigration({ transaction: 'each' });
        expect(await counts(dataSource)).toEqual({ ...INTACT, taskTags: 31, fkViolations: 1 });
      },
    );
  });

  it('refuses a migration for the violations it adds, not for those there before', async () => {
    const options = await seededDatabase();
    await addOrphanTaskTag(options);
    await withDataSource(
      { ...options, migrations: [...SQLITE_MIGRATIONS, InsertOrphan1900000000003] },
      async (dataSource) => {
        await expect(dataSource.runMigrations({ transaction: 'each' })).rejects.toThrow(
          /left 1 foreign key violation\(s\), rolled back: tasks rowid 31 -> projects$/,
        );
        expect((await counts(dataSource)).fkViolations).toBe(1);
      },
    );
  });

  // Why the guard exists: plain TypeORM 1.x reverts inside a transaction, where
  // `PRAGMA foreign_keys = OFF` is ignored, so rebuilding `tasks` cascades into `task_tags`.
  it('without the guard, plain TypeORM loses child rows on revert', async () => {
    const options = await seededDatabase();
    const naive = new DataSource({ ...options, migrations: [...SQLITE_MIGRATIONS, ...FIXTURES] });
    await naive.initialize();
    try {
      await naive.runMigrations({ transaction: 'each' });
      await naive.undoLastMigration({ transaction: 'each' });
      expect((await counts(naive)).taskTags).toBe(0);
    } finally {
      await naive.destroy();
    }
  });
});
