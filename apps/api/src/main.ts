import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, ConfigError, loadConfig } from '@app/config';
import { createApp } from './create-app';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** On SIGTERM/SIGINT: close the server (in-flight requests finish), the database, then exit 0. */
function closeOnSignals(app: NestFastifyApplication): void {
  const logger = new Logger('Shutdown');
  const shutdown = (signal: NodeJS.Signals) => {
    logger.log(`${signal} received: closing the server and the database`);
    app.close().then(
      () => {
        logger.log('Closed cleanly');
        process.exit(0);
      },
      (error: Error) => {
        logger.error(`Shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

async function main(): Promise<void> {
  const config = configOrExit();
  const app = await createApp();
  closeOnSignals(app);
  await app.listen({ port: config.http.port, host: config.http.host });
}

main().catch((error: Error) => {
  console.error(`Start-up failed: ${error.message}`);
  process.exit(1);
});
