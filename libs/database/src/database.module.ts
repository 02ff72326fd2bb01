import { Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { containerLocalhostHint, DatabaseConfig, databaseConfig } from '@app/config';
import { buildDataSourceOptions, createDataSource } from './build-data-source-options';
import {
  isTransientConnectionError,
  postgresTargetOf,
  withConnectionTarget,
} from './connection-errors';
import { runMigrationsUnderLock } from './run-migrations';

/** The app's TypeORM options: the CLI's options plus Nest-only connection retry settings. */
export function typeOrmModuleOptions(config: DatabaseConfig): TypeOrmModuleOptions {
  return {
    ...buildDataSourceOptions(config),
    retryAttempts: config.connectRetries,
    retryDelay: 1000,
    toRetry: isTransientConnectionError,
    verboseRetryLog: true,
  };
}

/** Connects with bounded retries for network errors, then applies migrations if configured. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>) => {
        const hint = config.type === 'postgres' ? containerLocalhostHint(config.host) : undefined;
        if (hint) new Logger(DatabaseModule.name).warn(hint);
        return typeOrmModuleOptions(config);
      },
      dataSourceFactory: async (options) =>
        createDataSource(options!)
          .initialize()
          .catch((error: unknown) => {
            if (options?.type !== 'postgres' || !options.url) throw error;
            throw withConnectionTarget(error, postgresTargetOf(options.url));
          }),
    }),
  ],
})
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger(DatabaseModule.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.migrationsRun) return;
    const applied = await runMigrationsUnderLock(this.dataSource);
    for (const migration of applied) this.logger.log(`Applied migration ${migration.name}`);
  }
}
