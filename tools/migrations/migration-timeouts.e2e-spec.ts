import { MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig } from '@app/config';
import { buildDataSourceOptions, createDataSource, runMigrationsUnderLock } from '@app/database';
import { freshDatabaseEnv } from '../testing/test-api';

/** A migration that takes longer than the app's statement timeout (an index build on a big table, say). */
class SlowMigration1899999999999 implements MigrationInterface {
  name = 'SlowMigration1899999999999';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT pg_sleep(2.5)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT pg_sleep(2.5)');
  }
}

/** A migration whose session dies under it (a server restart, an admin's pg_terminate_backend). */
class TerminatedMigration1899999999998 implements MigrationInterface {
  name = 'TerminatedMigration1899999999998';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT pg_terminate_backend(pg_backend_pid())');
  }
  async down(): Promise<void> {}
}

describe('PostgreSQL migrations and the request timeouts', () => {
  it('a migration may run longer than DB_STATEMENT_TIMEOUT_MS; requests on the pool stay bounded', async () => {
    const env = { ...(await freshDatabaseEnv('postgres')), DB_STATEMENT_TIMEOUT_MS: '1000' };
    // One pooled connection: the requests below run on the session the migrations used.
    const config = loadConfig({ ...env, DB_POOL_SIZE: '1' }, '/nonexistent/.env').database;
    const options = buildDataSourceOptions(config);
    const migrations = [...(options.migrations as Function[]), SlowMigration1899999999999];
    const dataSource = await createDataSource({ ...options, migrations }).initialize();
    try {
      const applied = await runMigrationsUnderLock(dataSource);
      expect(applied.map((m) => m.name)).toContain('SlowMigration1899999999999');
      await dataSource.undoLastMigration();
      await expect(dataSource.query('SELECT pg_sleep(2.5)')).rejects.toThrow(
        /statement timeout|Query read timeout/,
      );
      const [{ statement_timeout: timeout }] = await dataSource.query('SHOW statement_timeout');
      expect(timeout).toBe('1s');
    } finally {
      await dataSource.destroy();
    }
  });

  it("a migration whose session dies reports the server's reason, not a failed clean-up after it", async () => {
    const env = await freshDatabaseEnv('postgres');
    const options = buildDataSourceOptions(loadConfig(env, '/nonexistent/.env').database);
    const migrations = [...(options.migrations as Function[]), TerminatedMigration1899999999998];
    const dataSource = await createDataSource({ ...options, migrations }).initialize();
    try {
      await expect(runMigrationsUnderLock(dataSource)).rejects.toThrow(
        'terminating connection due to administrator command',
      );
      // The pool dropped the dead session: the app's next query works.
      expect(await dataSource.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
