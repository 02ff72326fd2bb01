/* global fetch, AbortSignal, setInterval */
// Smoke check of a running API (Compose service `smoke`, started once the api is healthy):
// readiness is 200 and a project round-trips through the REST API, else exit 1. Then it stays
// up, because `docker compose up --wait` rejects a one-shot service nothing depends on:
// /tmp/smoke-ok, its healthcheck, says the check passed, so `up --wait` succeeds only after it.
// It then logs the api's readiness when it changes. The marker stays: whether the api is ready
// now is the api's own healthcheck, which tolerates a blip, and a marker removed on one failed
// probe left smoke unhealthy after a short database restart, failing the next `up --wait`.
const { writeFileSync } = require('node:fs');

const base = (process.env.API_URL || 'http://api:3000').replace(/\/$/, '');
const intervalMs = Number(process.env.SMOKE_INTERVAL_MS || 30000);
const marker = '/tmp/smoke-ok';
const request = (path, init = {}) =>
  fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(5000) });

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
  const read = await request(`/api/projects/${project.id}`);
  const body = await read.json();
  if (read.status !== 200 || body.name !== name) {
    throw new Error(
      `GET /api/projects/${project.id} answered ${read.status} ${JSON.stringify(body)}`,
    );
  }
  return project.id;
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
    console.log(`smoke ok: ${base} ready, project ${id} created and read back`);
    setInterval(watchReadiness, intervalMs);
  },
  (error) => {
    console.error(`smoke failed: ${error.message}`);
    process.exit(1);
  },
);
