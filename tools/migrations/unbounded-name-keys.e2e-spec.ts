import { DataSource } from 'typeorm';
import { dataSourceWithMigrations } from '../testing/migrated-data-source';
import { Dialect, DIALECTS, freshDatabaseEnv } from '../testing/test-api';

const MIGRATION = 'UnboundedNameKeys1795833677418';
const NOW = `'2026-01-01T12:00:00.000Z'`;
/** The case-folded key of U+FDFA (one code point), 18 code points long. */
const LONG_KEY = '\uFDFA'.normalize('NFKC').toLowerCase();

/** 6 projects, 12 tasks, 4 tags and 12 links; project 6 and tag 4 are deleted again. */
async function seed(dataSource: DataSource): Promise<void> {
  for (let p = 1; p <= 6; p++) {
    await dataSource.query(
      `INSERT INTO projects (id, name, "nameKey", "createdAt", "updatedAt") VALUES (${p}, 'P${p}', 'p${p}', ${NOW}, ${NOW})`,
    );
  }
  for (let t = 1; t <= 12; t++) {
    await dataSource.query(
      `INSERT INTO tasks (id, "projectId", title, "searchKey", "createdAt", "updatedAt") VALUES (${t}, ${(t % 5) + 1}, 'T${t}', 't${t}', ${NOW}, ${NOW})`,
    );
  }
  for (let g = 1; g <= 4; g++) {
    await dataSource.query(
      `INSERT INTO tags (id, name, "nameKey") VALUES (${g}, 'G${g}', 'g${g}')`,
    );
  }
  for (let t = 1; t <= 12; t++) {
    await dataSource.query(
      `INSERT INTO task_tags ("taskId", "tagId") VALUES (${t}, ${(t % 3) + 1})`,
    );
  }
  if (dataSource.options.type === 'postgres') {
    for (const table of ['projects', 'tags', 'tasks']) {
      await dataSource.query(
        `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`,
      );
    }
  }
  // AUTOINCREMENT (SQLite) and sequences (PostgreSQL) remember 6 and 4: never handed out again.
  await dataSource.query('DELETE FROM projects WHERE id = 6');
  await dataSource.query('DELETE FROM tags WHERE id = 4');
}

/** Every row of every table, and where each foreign key points. */
async function contents(dataSource: DataSource) {
  const rows = async (sql: string) => JSON.parse(JSON.stringify(await dataSource.query(sql)));
  const sqlite = dataSource.options.type !== 'postgres';
  return {
    projects: await rows(`SELECT id, name, "nameKey" FROM projects ORDER BY id`),
    tags: await rows(`SELECT id, name, "nameKey", color FROM tags ORDER BY id`),
    tasks: await rows(`SELECT id, "projectId", title FROM tasks ORDER BY id`),
    taskTags: await rows(`SELECT "taskId", "tagId" FROM task_tags ORDER BY 1, 2`),
    foreignKeys: sqlite
      ? [
          ...(await rows(`SELECT "table", "to", on_delete FROM pragma_foreign_key_list('tasks')`)),
          ...(await rows(
            `SELECT "table", "to", on_delete FROM pragma_foreign_key_list('task_tags')`,
          )),
        ]
      : await rows(
          `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
            WHERE contype = 'f' AND connamespace = current_schema()::regnamespace ORDER BY 1`,
        ),
    fkViolations: sqlite ? await rows('PRAGMA foreign_key_check') : [],
    nextIds: sqlite
      ? await rows(`SELECT name, seq FROM sqlite_sequence WHERE name <> 'migrations' ORDER BY name`)
      : await rows(
          `SELECT sequencename AS name, last_value AS seq FROM pg_sequences
            WHERE schemaname = current_schema() AND sequencename <> 'migrations_id_seq' ORDER BY 1`,
        ),
  };
}

async function nameKeyTypes(dataSource: DataSource): Promise<string[]> {
  const rows: { type: string }[] = await dataSource.query(
    dataSource.options.type === 'postgres'
      ? `SELECT table_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') AS type
           FROM information_schema.columns
          WHERE table_schema = current_schema() AND column_name = 'nameKey' ORDER BY table_name`
      : `SELECT m.name || ' ' || lower(c.type) AS type FROM sqlite_master m, pragma_table_info(m.name) c
          WHERE m.type = 'table' AND c.name = 'nameKey' ORDER BY m.name`,
  );
  return rows.map((r) => r.type);
}

const TYPES: Record<Dialect, { before: string[]; after: string[] }> = {
  sqlite: {
    before: ['projects varchar(120)', 'tags varchar(40)'],
    after: ['projects text', 'tags text'],
  },
  postgres: {
    before: ['projects character varying(120)', 'tags character varying(40)'],
    after: ['projects text', 'tags text'],
  },
};

describe.each(DIALECTS)(`%s: migration ${MIGRATION}`, (dialect) => {
  it('keeps every row, link, foreign key and next id, up and down', async () => {
    const env = await freshDatabaseEnv(dialect);
    const before = dataSourceWithMigrations(env, { before: MIGRATION });
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    await seed(before);
    const seeded = await contents(before);
    await before.destroy();
    expect(seeded.projects).toHaveLength(5);
    expect(seeded.taskTags).toHaveLength(12);
    expect(seeded.foreignKeys).toHaveLength(3);

    const dataSource = dataSourceWithMigrations(env, { through: MIGRATION });
    await dataSource.initialize();
    try {
      expect(await nameKeyTypes(dataSource)).toEqual(TYPES[dialect].before);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((m) => m.name)).toEqual([MIGRATION]);
      expect(await nameKeyTypes(dataSource)).toEqual(TYPES[dialect].after);
      expect(await contents(dataSource)).toEqual(seeded);

      // Keys longer than the old varchar are stored now.
      await dataSource.query(`UPDATE tags SET "nameKey" = '${LONG_KEY.repeat(3)}' WHERE id = 1`);
      await dataSource.query(
        `UPDATE projects SET "nameKey" = '${LONG_KEY.repeat(7)}' WHERE id = 1`,
      );
      if (dialect === 'postgres') {
        // They do not fit the old columns: down() fails and changes nothing.
        await expect(dataSource.undoLastMigration({ transaction: 'each' })).rejects.toThrow(
          /value too long for type character varying/,
        );
        expect(await nameKeyTypes(dataSource)).toEqual(TYPES[dialect].after);
      }
      await dataSource.query(`UPDATE tags SET "nameKey" = 'g1' WHERE id = 1`);
      await dataSource.query(`UPDATE projects SET "nameKey" = 'p1' WHERE id = 1`);

      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await nameKeyTypes(dataSource)).toEqual(TYPES[dialect].before);
      expect(await contents(dataSource)).toEqual(seeded);

      await dataSource.runMigrations({ transaction: 'each' });
      expect(await contents(dataSource)).toEqual(seeded);

      // Foreign keys still cascade: project 1 has tasks 5 and 10, tag 2 four links.
      await dataSource.query('DELETE FROM projects WHERE id = 1');
      await dataSource.query('DELETE FROM tags WHERE id = 2');
      const after = await contents(dataSource);
      expect(after.tasks.map((t: { id: number }) => t.id)).toEqual([
        1, 2, 3, 4, 6, 7, 8, 9, 11, 12,
      ]);
      expect(after.taskTags).toEqual(
        seeded.taskTags.filter(
          (l: { taskId: number; tagId: number }) => ![5, 10].includes(l.taskId) && l.tagId !== 2,
        ),
      );
    } finally {
      await dataSource.destroy();
    }
  });
});
