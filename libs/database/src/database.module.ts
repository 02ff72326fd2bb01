import { Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseConfig, loadConfig } from '@app/config';
import { buildDataSourceOptions, createDataSource } from './build-data-source-options';
import { connectionFailure, isTransientConnectionError } from './connection-errors';
import { runMigrationsUnderLock } from './run-migrations';

/** Connects with bounded retries for network errors, then applies migrations if configured. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>) => ({
        ...buildDataSourceOptions(config),
        retryAttempts: config.connectRetries,
        retryDelay: 1000,
        toRetry: isTransientConnectionError,
        verboseRetryLog: true,
      }),
      dataSourceFactory: async (options) => {
        try {
          return await createDataSource(options!).initialize();
        } catch (error) {
          throw connectionFailure(error, loadConfig().database);
        }
      },
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
