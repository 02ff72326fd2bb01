import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { buildDataSourceOptions, createDataSource, ENTITIES } from '@app/database';
import { DIALECTS, freshDatabaseEnv, startApi } from '../testing/test-api';
import { checkMigrations } from './check';

async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query(
    dataSource.options.type === 'postgres'
      ? `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`
      : `SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence'`,
  );
  return rows.map((r) => r.name).sort();
}

async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

describe('migrations on a fresh database', () => {
  it.each(DIALECTS)('%s: all up, no drift, every down(), all up again', async (dialect) => {
    const env = await freshDatabaseEnv(dialect);
    const dataSource = createDataSource(
      buildDataSourceOptions(loadConfig(env, '/nonexistent/.env').database),
    );
    await dataSource.initialize();
    try {
      const all = dataSource.migrations.map((m) => m.name);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((m) => m.name)).toEqual(all);
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
      expect(await tableNames(dataSource)).toEqual(
        [...dataSource.entityMetadatas.map((m) => m.tableName), 'migrations'].sort(),
      );

      for (let i = 0; i < all.length; i++) {
        await dataSource.undoLastMigration({ transaction: 'each' });
      }
      expect(await tableNames(dataSource)).toEqual(['migrations']);
      expect(await dataSource.query('SELECT * FROM migrations')).toEqual([]);

      await dataSource.runMigrations({ transaction: 'each' });
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
      const recorded = await dataSource.query('SELECT name FROM migrations ORDER BY id');
      expect(recorded.map((r: { name: string }) => r.name)).toEqual(all);
    } finally {
      await dataSource.destroy();
    }
  });

  it('migration:check is clean on both dialects', async () => {
    expect(await checkMigrations()).toEqual([]);
  });

  it.each(DIALECTS)('%s: the app DataSource knows exactly the ENTITIES', async (dialect) => {
    const api = await startApi(await freshDatabaseEnv(dialect));
    try {
      const app = api.app.get(DataSource);
      // Junction tables (task_tags) have metadata but no class: compare the entity classes.
      const classes = app.entityMetadatas.map((m) => m.target).filter((t) => t instanceof Function);
      expect(new Set(classes)).toEqual(new Set(ENTITIES));
      expect(classes).toHaveLength(ENTITIES.length);
      expect(app.options.synchronize).toBe(false);
    } finally {
      await api.close();
    }
  });
});
