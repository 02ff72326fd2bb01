import type { LoggerService } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '@app/config';
import { createDataSource } from './build-data-source-options';
import { isTransientConnectionError, withConnectionTarget } from './connection-errors';
import { refuseWritesWhileFileGone, rememberOpenedFile } from './ping-database';
import { withSqlitePath } from './sqlite-open-errors';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;

/**
 * Connects, retrying network errors `config.connectRetries` times with exponential backoff
 * (0.5 s, 1 s, 2 s, 4 s, then 5 s), each failure naming host and port. Configuration errors
 * (wrong password, unknown database, SSL refused) fail at once with the driver's reason, and a
 * SQLite file that cannot be opened with its path and the likely cause.
 */
export async function connectWithRetries(
  options: DataSourceOptions,
  config: DatabaseConfig,
  logger: Pick<LoggerService, 'warn' | 'log'>,
): Promise<DataSource> {
  for (let attempt = 0; ; attempt++) {
    try {
      const dataSource = await createDataSource(options, (message) =>
        logger.warn(message),
      ).initialize();
      rememberOpenedFile(dataSource);
      refuseWritesWhileFileGone(dataSource, logger);
      return dataSource;
    } catch (error) {
      const failure =
        config.type === 'postgres'
          ? withConnectionTarget(error, config)
          : withSqlitePath(error, config.path);
      if (!isTransientConnectionError(error) || attempt >= config.connectRetries) throw failure;
      const delay = Math.min(FIRST_DELAY_MS * 2 ** attempt, MAX_DELAY_MS);
      const message = (failure as Error).message;
      logger.warn(`${message}; retry ${attempt + 1}/${config.connectRetries} in ${delay} ms`);
      await sleep(delay);
    }
  }
}
