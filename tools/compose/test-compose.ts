/**
 * npm run test:compose: the Compose stack end to end on a real Docker engine (docker-lab).
 * Starts from `down -v` under its own project name and a temporary env file, checks the
 * gating, health, persistence, shutdown, the localhost trap, the SQLite variant and the
 * README's move of its data into PostgreSQL (db:copy, db:verify), prints the measurements
 * (P6: api healthy after db healthy; P7: bytes the image adds over its runtime base) and
 * removes everything it created. Exit code 0 = every check passed.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../testing/free-port';
import { firstHealthyTimes, inspect, ok, run } from './docker';

const ROOT = join(__dirname, '../..');
const PROJECT = process.env.COMPOSE_TEST_PROJECT ?? 'nest-tasks-compose-test';
const SQLITE_PROJECT = `${PROJECT}-sqlite`;
// API_IMAGE picks the tag to build (runs from several checkouts at once must not share one).
const IMAGE = process.env.API_IMAGE || `nest-tasks-api:${PROJECT}`;
const RUNTIME_BASE = 'node:24-bookworm-slim';
const PG = { user: 'tasks_app', password: 'p@ss$word$1', db: 'tasks' };

const tmp = mkdtempSync(join(tmpdir(), 'compose-test-'));
const envFile = join(tmp, 'stack.env');
const localhostOverride = join(tmp, 'localhost.override.yml');
const loopbackListenOverride = join(tmp, 'loopback-listen.override.yml');
const replicasOverride = join(tmp, 'replicas.override.yml');
const decoyEnv = join(ROOT, '.env');
const measurements: string[] = [];
let passed = 0;
/** The env file's text as main() first writes it. */
let envText = '';

const compose = (args: string[], files = ['docker-compose.yml'], project = PROJECT) =>
  run(
    'docker',
    ['compose', '-p', project, '--env-file', envFile, ...files.flatMap((f) => ['-f', f]), ...args],
    { cwd: ROOT },
  );
const composeOk = (args: string[], files?: string[], project?: string) => {
  const result = compose(args, files, project);
  assert.equal(result.code, 0, `docker compose ${args.join(' ')}:\n${result.stderr}`);
  return result;
};
const containerId = (service: string, project = PROJECT, files?: string[]) =>
  composeOk(['ps', '-a', '-q', service], files, project).stdout.trim();
// The SQLite variant needs no env file: API_PORT and API_IMAGE come from the environment.
let sqlitePort = 0;
const sqlite = (args: string[]) =>
  run('docker', ['compose', '-p', SQLITE_PROJECT, '-f', 'docker-compose.sqlite.yml', ...args], {
    cwd: ROOT,
    env: { ...process.env, API_PORT: String(sqlitePort), API_IMAGE: IMAGE },
  });
const sqliteOk = (args: string[]) => {
  const result = sqlite(args);
  assert.equal(result.code, 0, `${args.join(' ')}:\n${result.stderr}`);
  return result;
};
// The error that ends start-up (Nest's ExceptionHandler, or main.ts's catch) names the address.
const FINAL_ERROR =
  /(ExceptionHandler|Start-up failed).*cannot reach PostgreSQL at localhost:5432: .*ECONNREFUSED.*Hint: .*POSTGRES_HOST=db/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function check(name: string, body: () => unknown | Promise<unknown>): Promise<void> {
  const started = Date.now();
  await body();
  passed++;
  console.log(`  ok  ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** One request on a fresh connection (no keep-alive: the stack restarts under our feet). */
function http(
  port: number,
  path: string,
  init: { method?: string; body?: string } = {},
): Promise<{ status: number; body: any }> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: init.method ?? 'GET',
        agent: false,
        timeout: 5000,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseJson(text) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: undefined }));
    req.end(init.body);
  });
}

function parseJson(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** Polls until `path` answers `status`; returns the milliseconds it took. */
async function waitForStatus(port: number, path: string, status: number, timeoutMs: number) {
  const started = Date.now();
  let last = 0;
  while (Date.now() - started < timeoutMs) {
    last = (await http(port, path)).status;
    if (last === status) return Date.now() - started;
    await sleep(250);
  }
  throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms (last ${last})`);
}

const migrationCount = () =>
  Number(
    composeOk([
      'exec',
      '-T',
      'db',
      'psql',
      '-h',
      '127.0.0.1',
      '-U',
      PG.user,
      '-d',
      PG.db,
      '-Atc',
      'SELECT count(*) FROM migrations',
    ]).stdout.trim(),
  );

/** Every project, task and tag the API at `port` holds (the lists' first page of 100). */
async function everything(port: number) {
  const all: Record<string, unknown> = {};
  for (const resource of ['projects', 'tasks', 'tags']) {
    const list = await http(port, `/api/${resource}?limit=100`);
    assert.equal(list.status, 200, `GET /api/${resource}: ${JSON.stringify(list.body)}`);
    all[resource] = list.body;
  }
  return all;
}

const EMPTY_LIST = { items: [], total: 0, limit: 100, offset: 0 };

async function main(): Promise<void> {
  const port = await freePort();
  sqlitePort = await freePort();
  envText = [
    `POSTGRES_USER=${PG.user}`,
    // Single quotes: Compose takes the value literally, `$` included (PITFALLS 15).
    `POSTGRES_PASSWORD='${PG.password}'`,
    `POSTGRES_DB=${PG.db}`,
    `API_PORT=${port}`,
    `API_IMAGE=${IMAGE}`,
    // The smoke watcher probes every second, so it sees the database stop below.
    'SMOKE_INTERVAL_MS=1000',
    '',
  ].join('\n');
  writeFileSync(envFile, envText);
  // Replicas cannot share a fixed host port: each gets a free one (README "Several api replicas").
  writeFileSync(replicasOverride, "services:\n  api:\n    ports: !override\n      - '3000'\n");
  writeFileSync(
    localhostOverride,
    'services:\n  api:\n    environment:\n      POSTGRES_HOST: localhost\n',
  );
  writeFileSync(
    loopbackListenOverride,
    "services:\n  api:\n    environment:\n      HOST: '127.0.0.1'\n",
  );
  console.log(`compose test: project ${PROJECT}, api on 127.0.0.1:${port}, image ${IMAGE}`);

  await check('a missing variable fails loudly (${VAR:?message})', () => {
    const result = run(
      'docker',
      ['compose', '-p', PROJECT, '--env-file', '/dev/null', 'config', '--quiet'],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /set POSTGRES_\w+ in \.env/);
  });

  await check('the config resolves without "not set" warnings ($ in the password)', () => {
    const result = composeOk(['config', '--format', 'json']);
    assert.doesNotMatch(result.stderr, /not set/);
    const config = JSON.parse(result.stdout);
    assert.equal(config.services.api.environment.POSTGRES_HOST, 'db');
    // `config` prints `$` escaped as `$$`; the api connecting later proves the real value.
    assert.equal(
      config.services.api.environment.POSTGRES_PASSWORD.replace(/\$\$/g, '$'),
      PG.password,
    );
    assert.equal(config.services.api.depends_on.db.condition, 'service_healthy');
    assert.equal(config.services.smoke.depends_on.api.condition, 'service_healthy');
  });

  composeOk(['down', '-v', '--remove-orphans']);
  // A decoy .env in the build context proves .dockerignore keeps it out of the image.
  const decoy = !existsSync(decoyEnv);
  if (decoy) writeFileSync(decoyEnv, 'DECOY_SECRET=must-not-reach-the-image\n');

  const coldStart = new Date();
  try {
    await check('up -d --build --wait succeeds from an empty volume', () => {
      const result = compose(['up', '-d', '--build', '--wait']);
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      measurements.push(`cold up --build --wait: ${(result.ms / 1000).toFixed(1)} s`);
    });
  } finally {
    if (decoy) rmSync(decoyEnv, { force: true });
  }

  await check('every service with a healthcheck is healthy (docker inspect)', () => {
    for (const service of ['db', 'api', 'smoke']) {
      const state = inspect(containerId(service)).State;
      assert.equal(state.Health?.Status, 'healthy', `${service}: ${JSON.stringify(state.Health)}`);
      assert.ok(state.Health!.Log.every((entry) => !/not found/.test(entry.Output)));
    }
  });

  await check('migrate ran after db was healthy, smoke (REST check) after api was healthy', () => {
    const healthy = firstHealthyTimes(PROJECT, coldStart);
    const db = healthy.get('db');
    const api = healthy.get('api');
    assert.ok(db && api, `health events: ${JSON.stringify([...healthy])}`);
    const migrate = inspect(containerId('migrate')).State;
    const smoke = inspect(containerId('smoke')).State;
    assert.equal(migrate.ExitCode, 0);
    assert.ok(Date.parse(migrate.StartedAt) >= db, 'migrate started before db was healthy');
    assert.ok(Date.parse(smoke.StartedAt) >= api, 'smoke started before api was healthy');
    assert.match(composeOk(['logs', 'smoke']).stdout, /smoke ok/);
    measurements.push(`P6 api healthy after db healthy: ${((api - db) / 1000).toFixed(1)} s`);
  });

  await check(
    'smoke deleted its project: the fresh stack holds no data, as before it ran',
    async () => {
      assert.match(composeOk(['logs', 'smoke']).stdout, /created, read back and deleted/);
      assert.deepEqual(await everything(port), {
        projects: EMPTY_LIST,
        tasks: EMPTY_LIST,
        tags: EMPTY_LIST,
      });
    },
  );

  let projectId = 0;
  await check('a REST round trip through the published port', async () => {
    const created = await http(port, '/api/projects', {
      method: 'POST',
      body: JSON.stringify({ name: 'Survives restarts' }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    projectId = created.body.id;
    const read = await http(port, `/api/projects/${projectId}`);
    assert.deepEqual(read, { status: 200, body: created.body });
  });

  await check('the api runs as a non-root user', () => {
    const uid = composeOk(['exec', '-T', 'api', 'id', '-u']).stdout.trim();
    assert.notEqual(uid, '0');
    assert.equal(inspect(containerId('api')).Config.User, 'node');
  });

  await check('the image holds no .env; better-sqlite3 loads in it', () => {
    const found = ok('docker', [
      'run',
      '--rm',
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      'find / -xdev -name ".env" 2>/dev/null; true',
    ]).stdout.trim();
    assert.equal(found, '', `found: ${found}`);
    const sqlite = ok('docker', [
      'run',
      '--rm',
      IMAGE,
      'node',
      '-e',
      "console.log(new (require('better-sqlite3'))(':memory:').prepare('select 1 as x').get().x)",
    ]).stdout.trim();
    assert.equal(sqlite, '1');
  });

  const migrations = migrationCount();
  await check(
    'data survives down + up (smoke runs again, leaves it as it was); no migration re-run',
    async () => {
      assert.ok(migrations > 0);
      const before = await everything(port);
      composeOk(['down']);
      composeOk(['up', '-d', '--wait']);
      const read = await http(port, `/api/projects/${projectId}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.name, 'Survives restarts');
      assert.match(composeOk(['logs', 'smoke']).stdout, /created, read back and deleted/);
      assert.deepEqual(await everything(port), before);
      assert.equal(migrationCount(), migrations);
      const logs = composeOk(['logs', 'migrate']).stdout;
      assert.match(logs, /No pending migrations/);
      assert.doesNotMatch(logs, /Applied migration/);
    },
  );

  // PITFALLS 17: POSTGRES_PASSWORD changed in .env after the volume was initialised.
  await check(
    'a changed POSTGRES_PASSWORD: up fails naming the volume; the hinted ALTER USER fixes it',
    async () => {
      const newPassword = 'n3w$p@ss#word';
      const psql = ['exec', '-T', 'db', 'psql', '-h', '/var/run/postgresql', '-U', PG.user];
      const alterPassword = (password: string) =>
        composeOk([
          ...psql,
          '-d',
          'postgres',
          '-c',
          `ALTER USER ${PG.user} PASSWORD '${password}'`,
        ]);
      composeOk(['down']);
      writeFileSync(envFile, envText.replace(`'${PG.password}'`, `'${newPassword}'`));
      const refused = compose(['up', '-d', '--wait']);
      assert.notEqual(refused.code, 0, 'up --wait succeeded with a password the role lacks');
      const logs = composeOk(['logs', '--no-color', 'migrate']).stdout;
      assert.match(logs, /password authentication failed for user "tasks_app"/);
      assert.match(logs, /applies POSTGRES_PASSWORD only when it initialises an empty data volume/);
      const hint =
        'docker compose exec db psql -h /var/run/postgresql -U tasks_app -d postgres -c ' +
        `"ALTER USER tasks_app PASSWORD '<new password>'"`;
      assert.ok(logs.includes(hint), `the hint is not in the migrate logs:\n${logs}`);
      for (const secret of [PG.password, newPassword]) assert.ok(!logs.includes(secret));
      // The hinted command, as written (the shell's quotes taken off).
      alterPassword(newPassword);
      composeOk(['up', '-d', '--wait']);
      const read = await http(port, `/api/projects/${projectId}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.name, 'Survives restarts');
      // Back to the first password (the later checks log in with it), the same way.
      alterPassword(PG.password);
      writeFileSync(envFile, envText);
      composeOk(['up', '-d', '--wait']);
      assert.equal((await http(port, '/health')).status, 200);
    },
  );

  await check(
    'stop db: /health 503 within seconds, /health/live 200, api not restarted',
    async () => {
      const api = containerId('api');
      const restarts = inspect(api).RestartCount;
      composeOk(['stop', 'db']);
      const ms = await waitForStatus(port, '/health', 503, 5000);
      measurements.push(`readiness 503 after stop db: ${(ms / 1000).toFixed(1)} s`);
      assert.equal((await http(port, '/health/live')).status, 200);
      composeOk(['start', 'db']);
      const back = await waitForStatus(port, '/health', 200, 60_000);
      measurements.push(`readiness 200 after start db: ${(back / 1000).toFixed(1)} s`);
      assert.equal(inspect(api).RestartCount, restarts);
    },
  );

  await check('a database restart leaves smoke healthy; up --wait exits 0 after it', async () => {
    const smokeLogs = () => composeOk(['logs', '--no-color', 'smoke']).stdout;
    const waitForLog = async (pattern: RegExp) => {
      const started = Date.now();
      while (!pattern.test(smokeLogs())) {
        assert.ok(Date.now() - started < 20_000, `smoke never logged ${pattern}`);
        await sleep(250);
      }
    };
    // Down until the watcher (probing every second here) has seen it.
    composeOk(['stop', 'db']);
    await waitForLog(/api readiness: NOT ready/);
    composeOk(['start', 'db']);
    await waitForLog(/api readiness: NOT ready[\s\S]*api readiness: ready/);
    composeOk(['exec', '-T', 'smoke', 'test', '-f', '/tmp/smoke-ok']);
    composeOk(['up', '-d', '--wait']);
  });

  await check('the db logs hold no role "root" does not exist', () => {
    assert.doesNotMatch(composeOk(['logs', 'db']).stdout, /role "root" does not exist/);
  });

  await check('stop api takes under 5 s and exits 0 or 143, not 137', () => {
    const api = containerId('api');
    const result = composeOk(['stop', 'api']);
    measurements.push(`stop api: ${(result.ms / 1000).toFixed(1)} s`);
    assert.ok(result.ms < 5000, `took ${result.ms} ms`);
    assert.ok([0, 143].includes(inspect(api).State.ExitCode));
    assert.match(composeOk(['logs', 'api']).stdout, /SIGTERM received/);
  });

  await check(
    'stop api with a request in flight: grace period kept, exits 0, not 137',
    async () => {
      composeOk(['up', '-d', '--wait']);
      const api = containerId('api');
      // A body that never completes: the request stays in flight until the grace period ends.
      const stalled = connect(port, '127.0.0.1');
      await new Promise((resolve) => stalled.once('connect', resolve));
      stalled.on('error', () => undefined);
      stalled.write(
        'POST /api/projects HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n' +
          'Content-Length: 100\r\n\r\n{"name":',
      );
      await sleep(500);
      const result = composeOk(['stop', 'api']);
      stalled.destroy();
      measurements.push(`stop api with a stalled request: ${(result.ms / 1000).toFixed(1)} s`);
      assert.equal(inspect(api).State.ExitCode, 0);
      const logs = composeOk(['logs', '--no-color', 'api']).stdout;
      assert.match(logs, /Grace period over: cutting the remaining connections/);
      assert.match(logs, /Server and database closed/);
    },
  );

  await check('three api replicas start healthy and answer; no migration re-run', async () => {
    const files = ['docker-compose.yml', replicasOverride];
    composeOk(['up', '-d', '--scale', 'api=3', '--wait'], files);
    const replicas = composeOk(['ps', '-q', 'api'], files).stdout.trim().split('\n');
    assert.equal(replicas.length, 3);
    for (const id of replicas) assert.equal(inspect(id).State.Health?.Status, 'healthy');
    for (const index of [1, 2, 3]) {
      const published = composeOk(['port', '--index', String(index), 'api', '3000'], files);
      const hostPort = Number(published.stdout.trim().split(':').pop());
      assert.equal((await http(hostPort, '/health')).status, 200);
    }
    assert.equal(migrationCount(), migrations);
    composeOk(['up', '-d', '--scale', 'api=1', '--wait']);
  });

  await check(
    'POSTGRES_HOST=localhost: never healthy, the log names the address and hint',
    async () => {
      const files = ['docker-compose.yml', localhostOverride];
      composeOk(['up', '-d', '--no-deps', 'api'], files);
      const api = containerId('api', PROJECT, files);
      const started = Date.now();
      let logs = '';
      let failedAfter = 0;
      // Watch for at least 15 s (past the first healthchecks) and until the final error shows.
      while (Date.now() - started < 60_000 && (!failedAfter || Date.now() - started < 15_000)) {
        assert.notEqual(inspect(api).State.Health?.Status, 'healthy');
        logs = composeOk(['logs', '--no-color', 'api'], files).stdout;
        if (!failedAfter && FINAL_ERROR.test(logs)) failedAfter = Date.now() - started;
        await sleep(1000);
      }
      measurements.push(`localhost trap: final start-up error after ${failedAfter / 1000} s`);
      assert.match(logs, /localhost is the container itself/);
      assert.match(logs, /POSTGRES_HOST=db/);
      assert.match(logs, FINAL_ERROR);
      assert.ok(!logs.includes(PG.password), 'the password was printed');
      assert.notEqual(inspect(api).State.Health?.Status, 'healthy');
    },
  );

  // The other way round: the api listens on loopback. Its own healthcheck (inside it) passes;
  // smoke, through the Compose network, is refused and says why, and so does the api at start.
  await check(
    "api HOST=127.0.0.1: up --wait fails on smoke, whose log and the api's name HOST=0.0.0.0",
    () => {
      const files = ['docker-compose.yml', loopbackListenOverride];
      const result = compose(['up', '-d', '--wait'], files);
      assert.notEqual(result.code, 0, 'up --wait succeeded');
      assert.match(result.stderr, /smoke/);
      assert.match(
        composeOk(['logs', '--no-color', 'smoke'], files).stdout,
        /smoke failed: GET \/health: cannot connect to http:\/\/api:3000 \(ECONNREFUSED\).*HOST=0\.0\.0\.0/,
      );
      assert.match(
        composeOk(['logs', '--no-color', 'api'], files).stdout,
        /HOST=127\.0\.0\.1 is a loopback address and this process runs in a container.*HOST=0\.0\.0\.0/,
      );
    },
  );
  composeOk(['down', '-v', '--remove-orphans']);

  await check(
    'SQLite in Docker: named volume writable by the non-root user, data kept',
    async () => {
      sqliteOk(['down', '-v']);
      sqliteOk(['up', '-d', '--wait']);
      assert.notEqual(sqliteOk(['exec', '-T', 'api', 'id', '-u']).stdout.trim(), '0');
      const created = await http(sqlitePort, '/api/projects', {
        method: 'POST',
        body: JSON.stringify({ name: 'On SQLite' }),
      });
      assert.equal(created.status, 201);
      sqliteOk(['restart', 'api']);
      sqliteOk(['up', '-d', '--wait']);
      assert.deepEqual(await http(sqlitePort, `/api/projects/${created.body.id}`), {
        status: 200,
        body: created.body,
      });
      assert.match(sqliteOk(['exec', '-T', 'api', 'ls', '/app/data']).stdout, /app\.sqlite/);
    },
  );

  // README "Moving from SQLite to PostgreSQL", in Compose: the SQLite stack's data, copied out
  // of its volume, into a fresh PostgreSQL stack with the image's CLI and the api's environment.
  await check(
    'db:copy flow: SQLite volume -> PostgreSQL stack, db:verify passes, same JSON',
    async () => {
      const post = async (path: string, body: unknown) => {
        const created = await http(sqlitePort, path, {
          method: 'POST',
          body: JSON.stringify(body),
        });
        assert.equal(created.status, 201, `POST ${path}: ${JSON.stringify(created.body)}`);
        return created.body;
      };
      const project = (await http(sqlitePort, '/api/projects')).body.items[0];
      await post('/api/tags', { name: 'Moved' });
      await post('/api/tasks', {
        projectId: project.id,
        title: 'Copied to PostgreSQL',
        notes: 'quotes \' " and a\nline break',
        dueAt: '2030-01-15T10:00:00+02:00',
        estimateHours: 1.25,
        tags: ['moved'],
        metadata: { zeta: 1, alpha: { b: [1, 'x'], a: null } },
      });
      const onSqlite = await everything(sqlitePort);

      // 1. Stop the writer; 2. copy the database out of the volume (the folder: any -wal too).
      sqliteOk(['stop', 'api']);
      const data = join(tmp, 'data');
      mkdirSync(data);
      sqliteOk(['cp', 'api:/app/data/.', data]);
      assert.ok(existsSync(join(data, 'app.sqlite')), 'app.sqlite was not copied out');

      // 3. A fresh PostgreSQL stack: smoke leaves it empty, as db:copy needs.
      composeOk(['up', '-d', '--wait']);
      // 4. The CLI in the api service, whose environment (DB_TYPE=postgres, POSTGRES_*) is the
      // target when --to is not given; the folder mounted read-only.
      const cli = (command: string) =>
        composeOk([
          'run',
          '--rm',
          '-T',
          '-v',
          `${data}:/data:ro`,
          'api',
          'node',
          'dist/apps/cli/src/main.js',
          command,
          '--from',
          '/data/app.sqlite',
        ]);
      const copy = cli('db:copy');
      assert.match(copy.stdout, /Copied \d+ rows? in \d+ tables?/);
      assert.match(copy.stdout, /Verification passed/);
      const verify = cli('db:verify');
      assert.match(verify.stdout, /All tables match\./);
      for (const output of [copy, verify]) {
        assert.ok(!`${output.stdout}${output.stderr}`.includes(PG.password), 'password printed');
      }

      // 5. The api on PostgreSQL serves the same JSON (metadata keys compared in any order:
      // jsonb does not keep them).
      assert.deepEqual(await everything(port), onSqlite);
      sqliteOk(['down', '-v']);
      composeOk(['down', '-v', '--remove-orphans']);
    },
  );

  await check('image size added over the runtime base is measured', () => {
    const size = (image: string) =>
      Number(ok('docker', ['image', 'inspect', '--format', '{{.Size}}', image]).stdout.trim());
    const added = size(IMAGE) - size(RUNTIME_BASE);
    const history = (image: string) =>
      ok('docker', ['history', '--format', '{{.Size}}\t{{.CreatedBy}}', image])
        .stdout.trim()
        .split('\n');
    const own = history(IMAGE).slice(0, history(IMAGE).length - history(RUNTIME_BASE).length);
    measurements.push(`P7 image adds ${(added / 1e6).toFixed(1)} MB over ${RUNTIME_BASE}:`);
    for (const line of own.filter((l) => !/^0B/.test(l)))
      measurements.push(`    ${line.slice(0, 110)}`);
    assert.ok(added > 0);
  });
}

main()
  .then(
    () => {
      console.log(`\ncompose test passed: ${passed} checks`);
      for (const line of measurements) console.log(`  ${line}`);
    },
    (error: Error) => {
      console.error(`\ncompose test FAILED: ${error.message}`);
      for (const service of ['db', 'migrate', 'api', 'smoke']) {
        const logs = compose(['logs', '--tail', '40', service]);
        console.error(`--- logs ${service} ---\n${logs.stdout}${logs.stderr}`);
      }
      process.exitCode = 1;
    },
  )
  .finally(() => {
    compose(['down', '-v', '--remove-orphans']);
    compose(['down', '-v', '--remove-orphans'], ['docker-compose.sqlite.yml'], SQLITE_PROJECT);
    rmSync(tmp, { recursive: true, force: true });
  });
