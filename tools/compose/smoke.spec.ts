import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../testing/free-port';
import { waitFor } from '../testing/wait-for';

const SMOKE = join(__dirname, '../../docker/smoke.js');

/** How the fake API answers, where it should not answer as the real one. */
interface Behaviour {
  health?: () => number;
  create?: () => number;
  readBack?: (deleted: boolean, name?: string) => [number, unknown];
  remove?: () => number;
}

/**
 * A fake API holding one project (id 7) the way the real one answers, unless `behaviour` says
 * otherwise; `requests` lists every request it received, as `METHOD path`.
 */
async function fakeApi(behaviour: Behaviour = {}) {
  const requests: string[] = [];
  let name: string | undefined;
  let deleted = false;
  const send = (response: ServerResponse, status: number, body?: unknown) =>
    response
      .writeHead(status, { 'content-type': 'application/json' })
      .end(body === undefined ? undefined : JSON.stringify(body));
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push(`${request.method} ${request.url}`);
      const route = `${request.method} ${request.url}`;
      if (route === 'GET /health') return send(response, behaviour.health?.() ?? 200, {});
      if (route === 'POST /api/projects') {
        name = JSON.parse(Buffer.concat(chunks).toString()).name;
        return send(response, behaviour.create?.() ?? 201, { id: 7, name });
      }
      if (route === 'GET /api/projects/7') {
        const [status, body] =
          behaviour.readBack?.(deleted, name) ?? (deleted ? [404, {}] : [200, { id: 7, name }]);
        return send(response, status, body);
      }
      if (route === 'DELETE /api/projects/7') {
        const status = behaviour.remove?.() ?? 204;
        deleted ||= status === 204;
        return send(response, status);
      }
      send(response, 404, {});
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, requests, url: `http://127.0.0.1:${port}` };
}

/** Runs docker/smoke.js against `url`; its output so far, and its exit. */
function runSmoke(url: string, marker: string) {
  const child = spawn(process.execPath, [SMOKE], {
    env: { PATH: process.env.PATH, API_URL: url, SMOKE_MARKER: marker, SMOKE_INTERVAL_MS: '100' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  // A smoke check that passed stays up: 'still running' rather than waiting out Jest's timeout.
  const exited = new Promise<number | null | 'still running'>((resolve) => {
    child.on('exit', resolve);
    setTimeout(() => resolve('still running'), 10_000).unref();
  });
  return { child, output: () => output, exited };
}

describe('docker/smoke.js', () => {
  let dir: string;
  let marker: string;
  const servers: Server[] = [];
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smoke-'));
    marker = join(dir, 'smoke-ok');
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill();
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts smoke.js against a fake API behaving as `behaviour`. */
  async function smokeAgainst(behaviour?: Behaviour) {
    const api = await fakeApi(behaviour);
    servers.push(api.server);
    const smoke = runSmoke(api.url, marker);
    children.push(smoke.child);
    return { api, smoke };
  }

  it('round-trips a project, deletes it, marks itself healthy, then logs readiness changes', async () => {
    let health = 200;
    const { api, smoke } = await smokeAgainst({ health: () => health });
    await waitFor(() => smoke.output().includes('smoke ok'), 'smoke ok');
    expect(smoke.output()).toContain(
      `smoke ok: ${api.url} ready, project 7 created, read back and deleted`,
    );
    expect(api.requests).toEqual([
      'GET /health',
      'POST /api/projects',
      'GET /api/projects/7',
      'DELETE /api/projects/7',
      'GET /api/projects/7',
    ]);
    expect(existsSync(marker)).toBe(true);

    health = 503;
    await waitFor(() => smoke.output().includes('api readiness: NOT ready'), 'NOT ready');
    health = 200;
    await waitFor(() => smoke.output().includes('api readiness: ready'), 'ready again');
    // Readiness is the api's own healthcheck: the marker stays through a blip.
    expect(existsSync(marker)).toBe(true);
    expect(smoke.output().match(/api readiness/g)).toHaveLength(2);
  });

  it('exits 1 without writing anything when readiness is not 200', async () => {
    const { api, smoke } = await smokeAgainst({ health: () => 503 });
    expect(await smoke.exited).toBe(1);
    expect(smoke.output()).toContain('smoke failed: GET /health answered 503');
    expect(api.requests).toEqual(['GET /health']);
    expect(existsSync(marker)).toBe(false);
  });

  it('exits 1 when the project does not read back, and still deletes it', async () => {
    const { api, smoke } = await smokeAgainst({
      readBack: (deleted) => (deleted ? [404, {}] : [200, { id: 7, name: 'someone else' }]),
    });
    expect(await smoke.exited).toBe(1);
    expect(smoke.output()).toMatch(/smoke failed: GET \/api\/projects\/7 answered 200 .*someone/);
    expect(api.requests).toContain('DELETE /api/projects/7');
    expect(existsSync(marker)).toBe(false);
  });

  it('exits 1 when the project cannot be deleted, or is still there after DELETE', async () => {
    const refused = await smokeAgainst({ remove: () => 500 });
    expect(await refused.smoke.exited).toBe(1);
    expect(refused.smoke.output()).toContain('smoke failed: DELETE /api/projects/7 answered 500');

    const kept = await smokeAgainst({
      remove: () => 204,
      readBack: (_deleted, name) => [200, { id: 7, name }],
    });
    expect(await kept.smoke.exited).toBe(1);
    expect(kept.smoke.output()).toContain('GET /api/projects/7 after DELETE answered 200');
    expect(existsSync(marker)).toBe(false);
  });

  it('exits 1 when the project is not created', async () => {
    const { api, smoke } = await smokeAgainst({ create: () => 400 });
    expect(await smoke.exited).toBe(1);
    expect(smoke.output()).toContain('smoke failed: POST /api/projects answered 400');
    expect(api.requests).toEqual(['GET /health', 'POST /api/projects']);
  });

  // The api answers its own healthcheck (inside its container, on 127.0.0.1) but refuses the
  // Compose network: HOST=127.0.0.1 or localhost in its environment. "fetch failed" said nothing.
  it('exits 1 naming the refused address and HOST when the api cannot be reached', async () => {
    const port = await freePort();
    const smoke = runSmoke(`http://127.0.0.1:${port}`, marker);
    children.push(smoke.child);
    expect(await smoke.exited).toBe(1);
    expect(smoke.output()).toContain(
      `smoke failed: GET /health: cannot connect to http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
    expect(smoke.output()).toMatch(/HOST=0\.0\.0\.0/);
    expect(existsSync(marker)).toBe(false);
  });
});
