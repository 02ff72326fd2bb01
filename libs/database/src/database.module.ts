import { Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseConfig, loadConfig } from '@app/config';
import { buildDataSourceOptions } from './build-data-source-options';
import { connectWithRetries } from './connect-with-retries';
import { runMigrationsUnderLock } from './run-migrations';

/** Connects with bounded retries for network errors, then applies migrations if configured. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>) => ({
        ...buildDataSourceOptions(config),
        // connectWithRetries retries (with backoff); TypeOrmModule's own loop would retry again.
        retryAttempts: 0,
        toRetry: () => false,
      }),
      dataSourceFactory: (options) => connectWithRetries(options!, loadConfig().database),
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
