/* global fetch, AbortSignal, setInterval */
// Smoke check of a running API (Compose service `smoke`, started once the api is healthy):
// readiness is 200 and a project round-trips through the REST API (created, read back, then
// deleted, so the check leaves the data as it found it: an empty database stays empty, ready
// for `db:copy`, which refuses a target holding rows), else exit 1. Then it stays
// up, because `docker compose up --wait` rejects a one-shot service nothing depends on:
// /tmp/smoke-ok, its healthcheck, says the check passed, so `up --wait` succeeds only after it.
// It then logs the api's readiness when it changes. The marker stays: whether the api is ready
// now is the api's own healthcheck, which tolerates a blip, and a marker removed on one failed
// probe left smoke unhealthy after a short database restart, failing the next `up --wait`.
const { writeFileSync } = require('node:fs');

const base = (process.env.API_URL || 'http://api:3000').replace(/\/$/, '');
const intervalMs = Number(process.env.SMOKE_INTERVAL_MS || 30000);
// The Compose healthcheck's file (SMOKE_MARKER: tests put it elsewhere).
const marker = process.env.SMOKE_MARKER || '/tmp/smoke-ok';
const request = (path, init = {}) =>
  fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(5000) }).catch((error) => {
    throw new Error(`${init.method || 'GET'} ${path}: ${unreachable(error)}`);
  });

// fetch says only "fetch failed": the reason is in its cause. Refused while the api container
// is healthy (smoke starts only then) means its healthcheck, run inside it on 127.0.0.1, is
// answered, but not the Compose network: the api listens on a loopback address.
function unreachable(error) {
  const code = (error.cause && error.cause.code) || error.name;
  const message = `cannot connect to ${base} (${code})`;
  if (code !== 'ECONNREFUSED') return message;
  return (
    `${message}: the api answers its healthcheck inside its container but refuses other ` +
    `containers. If its environment sets HOST, it must be HOST=0.0.0.0 (every address; the ` +
    `image's default), not 127.0.0.1 or localhost; see the api's start-up warning`
  );
}

async function roundTrip() {
  const ready = await request('/health');
  if (ready.status !== 200) throw new Error(`GET /health answered ${ready.status}`);
  const name = `smoke ${new Date().toISOString()}`;
  const created = await request('/api/projects', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (created.status !== 201) throw new Error(`POST /api/projects answered ${created.status}`);
  const project = await created.json();
  // Deleted also when reading it back failed (that failure is the one reported).
  const readBack = await checkReadBack(project.id, name).then(
    () => undefined,
    (error) => error,
  );
  const removed = await remove(project.id).then(
    () => undefined,
    (error) => error,
  );
  if (readBack || removed) throw readBack || removed;
  return project.id;
}

async function checkReadBack(id, name) {
  const read = await request(`/api/projects/${id}`);
  const body = await read.json();
  if (read.status !== 200 || body.name !== name) {
    throw new Error(`GET /api/projects/${id} answered ${read.status} ${JSON.stringify(body)}`);
  }
}

async function remove(id) {
  const deleted = await request(`/api/projects/${id}`, { method: 'DELETE' });
  if (deleted.status !== 204)
    throw new Error(`DELETE /api/projects/${id} answered ${deleted.status}`);
  const gone = await request(`/api/projects/${id}`);
  if (gone.status !== 404)
    throw new Error(`GET /api/projects/${id} after DELETE answered ${gone.status}`);
}

let ready = true;
async function watchReadiness() {
  const now = await request('/health').then(
    (response) => response.status === 200,
    () => false,
  );
  if (now !== ready) console.log(`api readiness: ${now ? 'ready' : 'NOT ready'}`);
  ready = now;
}

roundTrip().then(
  (id) => {
    writeFileSync(marker, new Date().toISOString());
    console.log(`smoke ok: ${base} ready, project ${id} created, read back and deleted`);
    setInterval(watchReadiness, intervalMs);
  },
  (error) => {
    console.error(`smoke failed: ${error.message}`);
    process.exit(1);
  },
);
