import 'reflect-metadata';
import { loadConfigOrExit, redactSecrets } from '@app/config';
import { enableGracefulShutdown } from '@app/health';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApp();
  enableGracefulShutdown(app);
  await app.listen({ port: config.http.port, host: config.http.host });
}

main().catch((error: Error) => {
  console.error(redactSecrets(`Start-up failed: ${error.message}`));
  process.exit(1);
});
