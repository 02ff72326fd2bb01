import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface, Interface } from 'node:readline';
import { createDatabase } from './create-database';

/** A throw-away PostgreSQL server this test owns: it may stop, start and pause it at will. */
export interface OwnPostgres {
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  port: number;
  halt(): Promise<void>;
  start(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `postgres-process.ts` as a child process and drives it over stdin. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'postgres-process.ts')],
    { cwd: join(__dirname, '../..'), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: Interface = createInterface({ input: child.stdout! });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const { value, done } = await iterator.next();
    if (done) throw new Error('the PostgreSQL helper process ended');
    return value as string;
  };
  const { url: adminUrl, port } = JSON.parse(await next()) as { url: string; port: number };
  const command = async (name: string): Promise<void> => {
    child.stdin!.write(`${name}\n`);
    const answer = await next();
    if (answer !== `ok ${name}`) throw new Error(answer);
  };
  const url = (database = 'postgres') => {
    const target = new URL(adminUrl);
    target.pathname = `/${database}`;
    return target.toString();
  };
  return {
    url,
    port,
    createDatabase: (name) => createDatabase(adminUrl, name),
    halt: () => command('halt'),
    start: () => command('start'),
    pause: () => command('pause'),
    resume: () => command('resume'),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      await exited;
    },
  };
}
