import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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

/**
 * CPU pinning for load tests (`taskset`, util-linux), when there are two CPUs or more: the
 * server under test runs on the last CPU and the load generator (this process) on the others,
 * so the two never take turns on one core; the baseline and our app get the same core.
 * Undefined where taskset is missing or there is one CPU.
 */
export function cpuPinning(): { server: number; loadGenerator: string; all: string } | undefined {
  const cpus = availableParallelism();
  if (cpus < 2 || spawnSync('taskset', ['--version']).status !== 0) return undefined;
  return { server: cpus - 1, loadGenerator: `0-${cpus - 2}`, all: `0-${cpus - 1}` };
}

/** Moves every thread of this process onto `cpus` (a taskset list such as `0-2`). */
export function pinThisProcess(cpus: string): void {
  spawnSync('taskset', ['-a', '-cp', cpus, String(process.pid)], { stdio: 'ignore' });
}

/**
 * Spawns `node <args>` with `env` (on CPU `cpu` when given), waits for `readyPath` to answer
 * 200.
 */
export async function startServer(
  args: string[],
  env: Record<string, string>,
  readyPath = '/health',
  cpu?: number,
): Promise<Server> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const [command, commandArgs] =
    cpu === undefined
      ? [process.execPath, args]
      : ['taskset', ['-c', String(cpu), process.execPath, ...args]];
  const child: ChildProcess = spawn(command, commandArgs, {
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

/** Resident memory of process `pid` in MB (`VmRSS`); undefined where /proc is missing. */
export function residentMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** The API as `npm start` runs it (bundle + code cache), quiet and without rate limits. */
export function apiArgs(): string[] {
  return ['dist/apps/api/src/launch.js'];
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
