import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AppConfigModule } from './config.module';

/**
 * PITFALLS 13: the values Nest code reads through ConfigService (getOrThrow included) are the
 * validated, typed ones, not the raw environment strings.
 */
describe('AppConfigModule through ConfigService', () => {
  const saved = { env: process.env, cwd: process.cwd() };
  const folders: string[] = [];
  afterEach(() => {
    process.env = saved.env;
    process.chdir(saved.cwd);
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  async function configService(env: Record<string, string>): Promise<ConfigService> {
    // A folder without .env: only `env` counts.
    folders.push(mkdtempSync(join(tmpdir(), 'config-module-')));
    process.chdir(folders.at(-1)!);
    process.env = { PATH: saved.env.PATH, ...env };
    const context = await NestFactory.createApplicationContext(AppConfigModule, {
      logger: false,
      abortOnError: false,
    });
    const service = context.get(ConfigService);
    await context.close();
    return service;
  }

  it('gives POSTGRES_PORT=5433 as the number 5433, by get and by getOrThrow', async () => {
    const config = await configService({
      DB_TYPE: 'postgres',
      POSTGRES_HOST: 'db',
      POSTGRES_PORT: '5433',
      POSTGRES_USER: 'app',
      POSTGRES_PASSWORD: 'pw',
      POSTGRES_DB: 'tasks',
      PORT: '8080',
    });
    for (const read of [config.get.bind(config), config.getOrThrow.bind(config)]) {
      expect(read('database.port')).toBe(5433);
      expect(read('database.type')).toBe('postgres');
      expect(read('http.port')).toBe(8080);
    }
    expect(config.getOrThrow('database')).toMatchObject({ host: 'db', port: 5433 });
  });

  it('gives SQLite with no POSTGRES_* variable at all', async () => {
    const config = await configService({ DB_TYPE: 'sqlite', SQLITE_PATH: ':memory:' });
    expect(config.getOrThrow('database.type')).toBe('sqlite');
    expect(config.getOrThrow('database.path')).toBe(':memory:');
  });

  it('refuses to build without POSTGRES_PASSWORD on PostgreSQL, naming it', async () => {
    await expect(
      configService({
        DB_TYPE: 'postgres',
        POSTGRES_USER: 'app',
        POSTGRES_DB: 'tasks',
      }),
    ).rejects.toThrow(/POSTGRES_PASSWORD: required when DB_TYPE=postgres/);
  });
});
