import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './free-port';

const ROOT = join(__dirname, '../..');

export interface SpawnedApi {
  process: ChildProcess;
  port: number;
  baseUrl: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process ends. */
  exited: Promise<number | string>;
  /** Polls `path` until it answers `status`, or fails after `timeoutMs`. */
  waitFor(path: string, status?: number, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Where the API runs from: by default its real entry point, main.ts, from source. */
export interface ApiEntry {
  /** Arguments to node. */
  args: string[];
  cwd: string;
}

/** A user to run the API as (spawn's `uid`/`gid`): root may write where the image's user may not. */
export interface ApiUser {
  uid: number;
  gid: number;
}

const FROM_SOURCE: ApiEntry = {
  args: ['-r', '@swc-node/register', 'apps/api/src/main.ts'],
  cwd: ROOT,
};

/** Runs the API as a child process. */
export async function spawnApi(
  env: Record<string, string>,
  entry: ApiEntry = FROM_SOURCE,
  user?: ApiUser,
): Promise<SpawnedApi> {
  const port = Number(env.PORT ?? (await freePort()));
  const child = spawn(process.execPath, entry.args, {
    cwd: entry.cwd,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...user,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  // A test that times out before stop() must not leave its API running after the test process.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      resolve(code ?? signal ?? -1);
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    process: child,
    port,
    baseUrl,
    output: () => output,
    exited,
    async waitFor(path, status = 200, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`API exited early:\n${output}`);
        const res = await fetch(baseUrl + path).catch(() => undefined);
        if (res?.status === status) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms:\n${output}`);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
