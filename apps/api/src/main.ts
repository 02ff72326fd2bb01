import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig, redactSecrets } from '@app/config';
import { enableGracefulShutdown } from '@app/health';
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

async function main(): Promise<void> {
  const config = configOrExit();
  const app = await createApp();
  enableGracefulShutdown(app);
  await app.listen({ port: config.http.port, host: config.http.host });
}

main().catch((error: Error) => {
  console.error(redactSecrets(`Start-up failed: ${error.message}`));
  process.exit(1);
});
