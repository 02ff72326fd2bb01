import { Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  DatabaseConfig,
  databaseConfig,
  databaseHostHint,
  ignoredUrlHint,
  loadConfig,
} from '@app/config';
import { buildDataSourceOptions } from './build-data-source-options';
import { connectWithRetries } from './connect-with-retries';
import { describeDatabase } from './describe-database';
import {
  assertNoUnknownMigrations,
  pendingMigrationNames,
  pendingMigrationsMessage,
  runMigrationsUnderLock,
} from './run-migrations';

/**
 * The app's TypeORM options: the CLI's options, with TypeOrmModule's own retry loop off
 * (`connectWithRetries` retries network errors with backoff and names the server).
 */
export function typeOrmModuleOptions(config: DatabaseConfig): TypeOrmModuleOptions {
  return { ...buildDataSourceOptions(config), retryAttempts: 0, toRetry: () => false };
}

/** The host warning, connection retries, the database used and its migrations, one context. */
const logger = new Logger('Database');

/**
 * Connects with bounded retries for network errors, refuses a database that a newer version of
 * the app migrated, then applies migrations if configured, or warns of the pending ones if not.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>) => {
        for (const hint of [databaseHostHint(config), ignoredUrlHint(config)]) {
          if (hint) logger.warn(hint);
        }
        return typeOrmModuleOptions(config);
      },
      dataSourceFactory: (options) => connectWithRetries(options!, loadConfig().database, logger),
    }),
  ],
})
export class DatabaseModule implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
  ) {}

  async onModuleInit(): Promise<void> {
    logger.log(`Database: ${describeDatabase(this.config)}`);
    if (!this.config.migrationsRun) return this.warnOfPendingMigrations();
    const applied = await runMigrationsUnderLock(this.dataSource);
    for (const migration of applied) logger.log(`Applied migration ${migration.name}`);
    if (applied.length === 0) logger.log('No pending migrations');
  }

  /** DB_MIGRATIONS_RUN=false: the app serves, but readiness is 503 until someone migrates. */
  private async warnOfPendingMigrations(): Promise<void> {
    await assertNoUnknownMigrations(this.dataSource);
    const pending = await pendingMigrationNames(this.dataSource);
    if (pending.length === 0) {
      logger.log('No pending migrations');
      return;
    }
    logger.warn(
      `DB_MIGRATIONS_RUN=false and ${pendingMigrationsMessage(pending)}: readiness answers 503 ` +
        'until they are applied',
    );
  }
}
