import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { buildDataSourceOptions, createDataSource } from '@app/database';

/**
 * The app's data source for `env`, with its migrations up to `name` (`before` it: without it;
 * `through` it: with it, and none after it), or all of them.
 */
export function dataSourceWithMigrations(
  env: Record<string, string>,
  range?: { before: string } | { through: string },
): DataSource {
  const options = buildDataSourceOptions(loadConfig(env, '/nonexistent/.env').database);
  const all = options.migrations as Function[];
  const name = range && ('before' in range ? range.before : range.through);
  const index = all.findIndex((migration) => migration.name === name);
  const end = !range ? all.length : 'before' in range ? index : index + 1;
  if (range && index < 0) throw new Error(`no migration ${name}`);
  return createDataSource({ ...options, migrations: all.slice(0, end) });
}

/** The app's data source on an in-memory SQLite database, initialized, with every migration run. */
export async function migratedMemorySqlite(): Promise<DataSource> {
  const env = { DB_TYPE: 'sqlite', SQLITE_PATH: ':memory:', DB_MIGRATIONS_RUN: 'false' };
  const dataSource = await dataSourceWithMigrations(env).initialize();
  await dataSource.runMigrations();
  return dataSource;
}
