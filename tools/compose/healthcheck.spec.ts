import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { freePort } from '../testing/free-port';

const HEALTHCHECK = join(__dirname, '../../docker/healthcheck.js');

/**
 * Runs the image's healthcheck against `port`; resolves with its exit code, stderr and time.
 * `timeoutMs` undefined: no path argument nor HEALTHCHECK_TIMEOUT_MS, as the image's HEALTHCHECK.
 */
function probe(port: number, timeoutMs?: number, host?: string) {
  const started = Date.now();
  const given = timeoutMs === undefined ? {} : { HEALTHCHECK_TIMEOUT_MS: String(timeoutMs) };
  const args = timeoutMs === undefined ? [] : ['/health'];
  const child = spawn(process.execPath, [HEALTHCHECK, ...args], {
    env: { PATH: process.env.PATH, PORT: String(port), ...given, ...(host ? { HOST: host } : {}) },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stderr: string; ms: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr, ms: Date.now() - started })),
  );
}

/**
 * An HTTP server on `port` answering every request with `status` (or never, for `hang`), but
 * for `/health/live`, which always answers 200 (liveness).
 */
function serve(port: number, status: number | 'hang', host = '127.0.0.1'): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/health/live') response.writeHead(200).end('{}');
    else if (status !== 'hang') response.writeHead(status).end('{}');
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
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

  // The Dockerfile's HEALTHCHECK runs `node docker/healthcheck.js` with no argument.
  it('without arguments probes readiness (/health), not liveness', async () => {
    const port = await freePort();
    servers.push(await serve(port, 503));
    const result = await probe(port);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/health answered 503');
  });

  it("without HEALTHCHECK_TIMEOUT_MS gives up after 2 s, within the image's 3 s timeout", async () => {
    const port = await freePort();
    servers.push(await serve(port, 'hang'));
    const result = await probe(port);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no answer within 2000 ms');
    // Its message names the limit; the time shows it waited, with room for a loaded machine.
    expect(result.ms).toBeGreaterThanOrEqual(1900);
    expect(result.ms).toBeLessThan(10_000);
  });

  // HOST is where the API listens: a single address other than 127.0.0.1 (::1, the container's
  // own) left the probe of 127.0.0.1 refused, an API that works reported unhealthy for ever.
  it('probes the address in HOST when it is one address, 127.0.0.1 for every address', async () => {
    const v6 = await freePort();
    servers.push(await serve(v6, 200, '::1'));
    expect(await probe(v6, 1000, '::1')).toMatchObject({ code: 0, stderr: '' });
    expect(await probe(v6, 1000, '[::1]')).toMatchObject({ code: 0, stderr: '' });
    const all = await freePort();
    servers.push(await serve(all, 200));
    for (const host of ['0.0.0.0', '::', '']) {
      expect(await probe(all, 1000, host)).toMatchObject({ code: 0, stderr: '' });
    }
  });
});
