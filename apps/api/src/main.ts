import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { listenHostHint, loadConfigOrExit, redactSecrets } from '@app/config';
import { enableGracefulShutdown } from '@app/health';
import { createStartupLogger, dropLinesOnBrokenPipe } from '@app/http';
import { createApp } from './create-app';

async function main(): Promise<void> {
  dropLinesOnBrokenPipe();
  const config = loadConfigOrExit();
  const startupLogger = createStartupLogger(config.http.logLevel);
  for (const warning of config.warnings) startupLogger.warn(warning, 'Config');
  const hostHint = listenHostHint(config.http.host);
  if (hostHint) startupLogger.warn(hostHint, 'Config');
  const app = await createApp();
  enableGracefulShutdown(app);
  const { host, port } = config.http;
  await app.listen({ port, host }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      throw new Error(`${host}:${port} is in use by another process: stop it, or set PORT`);
    }
    // A HOST that does not resolve, or names no interface of this machine.
    if (['ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL'].includes(error.code ?? '')) {
      throw new Error(
        `cannot listen on HOST=${host}: ${error.message}: set HOST to an address of this ` +
          'machine (0.0.0.0: all of them; 127.0.0.1: this machine only; :: for IPv6 too)',
      );
    }
    throw error;
  });
  const address = app.getHttpServer().address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  new Logger('HTTP').log(`Listening on http://${shown}:${address.port}`);
}

main().catch((error: Error) => {
  console.error(redactSecrets(`Start-up failed: ${error.message}`));
  process.exit(1);
});
