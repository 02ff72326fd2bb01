import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * What the Compose files and the Dockerfile must say, read without a Docker engine: each check
 * is a mistake (PITFALLS.md, its number in the test name) that `npm run test:compose` would only
 * show as a slow, flaky or never-healthy stack, if at all.
 */
const ROOT = join(__dirname, '../..');
const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');
const composeFile = (name: string) => parse(read(name), { merge: true }) as Record<string, any>;

/** Compose durations ("500ms", "10s", "1m30s") in milliseconds. */
function durationMs(value: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...String(value).matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  expect(parts.map((p) => p[0]).join('')).toBe(String(value));
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

/** The Dockerfile's instructions, continuation lines joined. */
function dockerfile(): { instruction: string; args: string }[] {
  return read('docker/Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, instruction, args] = /^(\w+)\s+(.*)$/.exec(line)!;
      return { instruction: instruction.toUpperCase(), args };
    });
}

describe('Compose files and Dockerfile, statically', () => {
  const main = composeFile('docker-compose.yml');
  const sqlite = composeFile('docker-compose.sqlite.yml');
  const healthchecked = [
    ['docker-compose.yml db', main.services.db],
    ['docker-compose.yml api', main.services.api],
    ['docker-compose.sqlite.yml api', sqlite.services.api],
  ] as const;

  it('1: the api reaches PostgreSQL by its service name and container port, not localhost', () => {
    const env = main.services.api.environment;
    expect(env.POSTGRES_HOST).toBe('db');
    expect(Object.keys(main.services)).toContain(env.POSTGRES_HOST);
    expect(String(env.POSTGRES_PORT)).toBe('5432');
    expect(main.services.migrate.environment.POSTGRES_HOST).toBe('db');
  });

  it('2, 31: the api waits for a healthy db and a migrate one-shot that completed', () => {
    expect(main.services.api.depends_on).toEqual({
      db: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(main.services.migrate.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(main.services.api.environment.DB_MIGRATIONS_RUN).toBe('false');
  });

  it('3, 4: pg_isready checks over TCP, as the user and database resolved in the container', () => {
    const [kind, command] = main.services.db.healthcheck.test;
    expect(kind).toBe('CMD-SHELL');
    expect(command).toMatch(/^pg_isready /);
    // -h: the first-run init server listens on the unix socket only, so it does not count.
    expect(command).toMatch(/ (-h|--host)[ =](127\.0\.0\.1|localhost)\b/);
    // -U: without it pg_isready connects as root ("role root does not exist" every interval);
    // $$: the container's variable, not Compose's interpolation on the host.
    expect(command).toMatch(/ (-U|--username)[ =]"?\$\$\{?POSTGRES_USER\}?"?/);
    expect(command).toMatch(/ (-d|--dbname)[ =]"?\$\$\{?POSTGRES_DB\}?"?/);
  });

  it.each(healthchecked)(
    '5, 7, 8: the %s healthcheck ships with the image, and probes often while starting',
    (_name, service) => {
      const { test, interval, start_period, start_interval, retries } = service.healthcheck;
      const command = Array.isArray(test) ? test.join(' ') : String(test);
      expect(command).not.toMatch(/\b(curl|wget)\b/);
      expect(start_period).toBeDefined();
      expect(retries).toBeGreaterThanOrEqual(3);
      // start_interval needs an explicit interval (Engine >= 25); without one, interval <= 5 s.
      if (start_interval === undefined) expect(durationMs(interval)).toBeLessThanOrEqual(5000);
      else {
        expect(interval).toBeDefined();
        expect(durationMs(start_interval)).toBeLessThanOrEqual(5000);
      }
    },
  );

  it.each([
    ['docker-compose.yml', main],
    ['docker-compose.sqlite.yml', sqlite],
  ])('5, 7: the api healthcheck in %s is node on readiness (/health), not liveness', (_f, file) => {
    expect(file.services.api.healthcheck.test).toEqual([
      'CMD',
      'node',
      'docker/healthcheck.js',
      '/health',
    ]);
    expect(file.services.api.restart).toBe('unless-stopped');
  });

  it('5, 7: the image healthcheck runs node on readiness (the script defaults to /health)', () => {
    const healthcheck = dockerfile().filter((i) => i.instruction === 'HEALTHCHECK');
    expect(healthcheck).toHaveLength(1);
    expect(healthcheck[0].args).toMatch(/CMD \["node", "docker\/healthcheck\.js"\]$/);
    expect(healthcheck[0].args).toMatch(/--start-period=\S+/);
    expect(read('docker/healthcheck.js')).toMatch(/process\.argv\[2\] \|\| '\/health'/);
  });

  it('11: the image runs node itself as its command (exec form), with an init in Compose', () => {
    const instructions = dockerfile();
    const cmd = instructions.filter((i) => i.instruction === 'CMD').pop()!;
    expect(JSON.parse(cmd.args)[0]).toBe('node');
    expect(instructions.some((i) => i.instruction === 'ENTRYPOINT')).toBe(false);
    for (const file of [main, sqlite]) {
      expect(file.services.api.init).toBe(true);
      expect(file.services.api.command ?? ['node']).toEqual(expect.arrayContaining(['node']));
      // The drain and grace period must fit before Docker's SIGKILL.
      expect(durationMs(file.services.api.stop_grace_period)).toBeGreaterThan(10_000);
    }
  });

  it('18: the postgres image pins a major version and mounts the data folder its major uses', () => {
    const match = /^postgres:(\d+)(?:[.-]|$)/.exec(main.services.db.image);
    expect(match).not.toBeNull();
    const major = Number(match![1]);
    const mount = main.services.db.volumes.map((v: string) => v.split(':')[1]);
    expect(mount).toEqual([major >= 18 ? '/var/lib/postgresql' : '/var/lib/postgresql/data']);
    expect(main.services.db.volumes[0]).toMatch(/^postgres_data:/);
  });

  it('36, 48: every stage is the same Node major, 20 or later, and package.json says >= 20', () => {
    const bases = dockerfile()
      .filter((i) => i.instruction === 'FROM')
      .map((i) => i.args.split(/\s+/)[0])
      .filter((image) => !/^[a-z-]+$/.test(image) || image.includes(':'));
    expect(bases.length).toBeGreaterThanOrEqual(2);
    const majors = bases.map((image) => /^node:(\d+)-/.exec(image)?.[1]);
    expect(new Set(majors)).toEqual(new Set([majors[0]]));
    expect(Number(majors[0])).toBeGreaterThanOrEqual(20);
    const engines = JSON.parse(read('package.json')).engines.node as string;
    expect(engines).toMatch(/^>=\s*(\d+)/);
    expect(Number(/^>=\s*(\d+)/.exec(engines)![1])).toBeGreaterThanOrEqual(20);
  });

  it('48: node_modules from the build context never reaches the image', () => {
    const lines = read('.dockerignore').split('\n');
    expect(lines).toContain('**/node_modules');
    expect(dockerfile().some((i) => /\bnpm ci\b/.test(i.args))).toBe(true);
  });

  it('49: the image runs as a non-root user who owns the SQLite folder', () => {
    const instructions = dockerfile();
    const runtimeStart = instructions.map((i) => i.instruction).lastIndexOf('FROM');
    const runtime = instructions.slice(runtimeStart);
    expect(runtime.filter((i) => i.instruction === 'USER').pop()?.args).toBe('node');
    expect(runtime.some((i) => /chown node:node \/app\/data/.test(i.args))).toBe(true);
    expect(sqlite.services.api.volumes).toEqual(['sqlite_data:/app/data']);
    expect(sqlite.services.api.environment.SQLITE_PATH).toBe('/app/data/app.sqlite');
    expect(sqlite.services.api.user).toBeUndefined();
  });

  it('16: every variable Compose interpolates has a default or fails with a message', () => {
    for (const name of ['docker-compose.yml', 'docker-compose.sqlite.yml']) {
      const text = read(name).replace(/\$\$/g, '');
      const uses = [...text.matchAll(/\$\{([^}]*)\}|\$(\w+)/g)].map((m) => m[1] ?? m[2]);
      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) expect(`${name}: ${use}`).toMatch(/^[^:]+: \w+:[-?]./);
    }
  });
});
