import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { freePort } from '../testing/free-port';

const HEALTHCHECK = join(__dirname, '../../docker/healthcheck.js');

/** Runs the image's healthcheck against `port`; resolves with its exit code, stderr and time. */
function probe(port: number, timeoutMs: number) {
  const started = Date.now();
  const child = spawn(process.execPath, [HEALTHCHECK, '/health'], {
    env: { PATH: process.env.PATH, PORT: String(port), HEALTHCHECK_TIMEOUT_MS: String(timeoutMs) },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stderr: string; ms: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr, ms: Date.now() - started })),
  );
}

/** An HTTP server on `port` answering every request with `status` (or never, for `hang`). */
function serve(port: number, status: number | 'hang'): Promise<Server> {
  const server = createServer((_request, response) => {
    if (status !== 'hang') response.writeHead(status).end('{}');
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describe('docker/healthcheck.js', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('waits for a server that starts listening within the timeout, and reports it healthy', async () => {
    const port = await freePort();
    const result = probe(port, 5000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    servers.push(await serve(port, 200));
    expect(await result).toMatchObject({ code: 0, stderr: '' });
  });

  it('fails once the timeout passes with nothing listening', async () => {
    const result = await probe(await freePort(), 300);
    expect(result.code).toBe(1);
    expect(result.ms).toBeGreaterThanOrEqual(250);
    expect(result.stderr).toMatch(/^\/health: (no answer within 300 ms|connect ECONNREFUSED)/);
  });

  it('fails at once when readiness answers 503', async () => {
    const port = await freePort();
    servers.push(await serve(port, 503));
    const result = await probe(port, 5000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/health answered 503');
    expect(result.ms).toBeLessThan(5000);
  });

  it('fails after the timeout when the server never answers', async () => {
    const port = await freePort();
    servers.push(await serve(port, 'hang'));
    const result = await probe(port, 300);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no answer within 300 ms');
  });
});
