import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '@app/config';
import { createDataSource } from './build-data-source-options';
import { connectionFailure, isTransientConnectionError } from './connection-errors';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;

/**
 * Connects, retrying network errors `config.connectRetries` times with exponential backoff
 * (0.5 s, 1 s, 2 s, 4 s, then 5 s). Configuration errors (wrong password, unknown database,
 * SSL refused) fail at once. The final error names the server and the driver's reason.
 */
export async function connectWithRetries(
  options: DataSourceOptions,
  config: DatabaseConfig,
  logger = new Logger('Database'),
): Promise<DataSource> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await createDataSource(options).initialize();
    } catch (error) {
      const failure = connectionFailure(error, config);
      if (!isTransientConnectionError(error) || attempt >= config.connectRetries) throw failure;
      const delay = Math.min(FIRST_DELAY_MS * 2 ** attempt, MAX_DELAY_MS);
      logger.warn(
        `${failure.message}; retry ${attempt + 1}/${config.connectRetries} in ${delay} ms`,
      );
      await sleep(delay);
    }
  }
}
