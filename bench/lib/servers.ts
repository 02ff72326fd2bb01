import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../tools/testing/free-port';

export const ROOT = join(__dirname, '../..');

export interface Server {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first 200 from `readyPath`. */
  startMs: number;
  stop(): Promise<void>;
}

/** Spawns `node <args>` with `env`, waits for `readyPath` to answer 200. */
export async function startServer(
  args: string[],
  env: Record<string, string>,
  readyPath = '/health',
): Promise<Server> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c) => (stderr += c));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited: ${stderr}`);
    const ok = await fetch(url + readyPath)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    url,
    pid: child.pid!,
    startMs,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The API from the production build, quiet and without rate limits. */
export function apiArgs(): string[] {
  return ['dist/apps/api/src/main.js'];
}

export function baselineArgs(): string[] {
  return ['bench/baselines/raw-api.js'];
}

export const APP_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_MAX: '0',
  DB_MIGRATIONS_RUN: 'false',
};
