import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { trimBundle } from './trim-bundle';

const ROOT = join(__dirname, '../..');

/** Bundles `probe` (CommonJS) with trimBundle, runs it, returns what it printed as JSON. */
async function runTrimmed(probe: string): Promise<Record<string, unknown>> {
  const { outputFiles } = await build({
    stdin: { contents: probe, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    keepNames: true,
    external: ['better-sqlite3', 'pg-native', 'class-transformer/storage'],
    define: { 'import.meta.url': '__filename' },
    logLevel: 'silent',
    plugins: [trimBundle],
  });
  const dir = mkdtempSync(join(tmpdir(), 'trim-bundle-'));
  try {
    const file = join(dir, 'probe.js');
    writeFileSync(file, outputFiles[0].text);
    const run = spawnSync(process.execPath, [file], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NODE_PATH: join(ROOT, 'node_modules'), LANG: 'C' },
    });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PROBE = `
const out = {};
const attempt = (key, run) => { try { out[key] = run(); } catch (error) { out[key] = 'threw: ' + error.message; } };
const { DataSource } = require('typeorm');
attempt('mysql', () => new DataSource({ type: 'mysql' }) && 'built');
attempt('postgres', () => new DataSource({ type: 'postgres' }).driver.constructor.name);
attempt('sqlite', () => new DataSource({ type: 'better-sqlite3', database: ':memory:' }).driver.constructor.name);
const validator = require('class-validator');
attempt('phone', () => validator.IsPhoneNumber() && 'decorated');
attempt('email', () => validator.isEmail('ada@example.com'));
const { z } = require('zod');
attempt('locales', () => Object.keys(z.locales));
attempt('zodMessage', () => z.number().safeParse('x').error.issues[0].message);
const { ConsoleLogger, Logger } = require('@nestjs/common');
out.loggerTimestamp = Logger.getTimestamp();
const lines = [];
process.stdout.write = (chunk) => lines.push(String(chunk));
new ConsoleLogger('Probe', { colors: false }).log('hello');
delete process.stdout.write;
out.logLine = lines.join('');
console.log(JSON.stringify(out));
`;

describe('trimBundle', () => {
  let out: Record<string, unknown>;
  beforeAll(async () => {
    out = await runTrimmed(PROBE);
  }, 60_000);

  it("replaces TypeORM's other drivers with one that says why, and keeps the API's two", () => {
    expect(out.mysql).toBe(
      "threw: TypeORM's mysql driver is not in the API bundle: the API runs on better-sqlite3 and postgres only (tools/build/trim-bundle.ts)",
    );
    expect(out.postgres).toBe('PostgresDriver');
    expect(out.sqlite).toBe('BetterSqlite3Driver');
  });

  it('fails IsPhoneNumber when a class is decorated, and keeps the other validators', () => {
    expect(out.phone).toMatch(/^threw: IsPhoneNumber is not in the API bundle/);
    expect(out.email).toBe(true);
  });

  it("keeps Zod's English messages only", () => {
    expect(out.locales).toEqual(['en']);
    expect(out.zodMessage).toBe('Invalid input: expected number, received string');
  });

  it("builds Nest's timestamp formats when first used", () => {
    expect(out.loggerTimestamp).toMatch(/^\d{2}\/\d{2}\/\d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
    expect(out.logLine).toMatch(
      /^\[Nest\] \d+ {2}- \d{2}\/\d{2}\/\d{4}, \d{1,2}:\d{2}:\d{2} [AP]M {5}LOG \[Probe\] hello\n$/,
    );
  });

  it('fails the build when a trim matches no file, so a dependency update cannot skip it', async () => {
    await expect(runTrimmed('console.log("{}")')).rejects.toThrow(
      /trim-bundle\.ts: no file matched for TypeORM's drivers for other databases/,
    );
  });
});

describe('trimBundle on a dependency whose file changed', () => {
  it('fails the build when an edit no longer finds its text, instead of leaving the file as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trim-bundle-'));
    try {
      const services = join(dir, 'node_modules/@nestjs/common/services');
      mkdirSync(services, { recursive: true });
      // A logger.service.js that builds its format some other way than the trim expects.
      writeFileSync(
        join(services, 'logger.service.js'),
        'exports.format = new Intl.DateTimeFormat(undefined, {});\n',
      );
      await expect(
        build({
          stdin: {
            contents: "require('@nestjs/common/services/logger.service.js');",
            resolveDir: dir,
          },
          bundle: true,
          write: false,
          platform: 'node',
          logLevel: 'silent',
          plugins: [trimBundle],
        }),
      ).rejects.toThrow(
        /logger\.service\.js no longer holds `const dateTimeFormatter = new Intl\.DateTimeFormat\(`/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
