import { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@app/config';
import { LIVENESS_DOCUMENT, serveLiveness } from '@app/health';
import { configureApp, createFastifyAdapter, createStartupLogger } from '@app/http';
import { AppModule } from './app.module';

/**
 * Builds the fully configured (not yet listening) API application. Start-up errors reject
 * (`abortOnError: false`) so that main.ts reports them and exits non-zero.
 */
export async function createApp(
  options: NestApplicationOptions = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(), {
    // Start-up failures propagate to the caller (main.ts prints one line and exits 1).
    logger: createStartupLogger(loadConfig().http.logLevel),
    abortOnError: false,
    // Fastify's own JSON parser only: Nest's default would also accept form-encoded bodies.
    bodyParser: false,
    ...options,
  });
  configureApp(app, LIVENESS_DOCUMENT);
  serveLiveness(app);
  return app;
}
