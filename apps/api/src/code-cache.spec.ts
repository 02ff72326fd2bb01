import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** Runs `file` through runWithCodeCache in a fresh Node process: its output, then the state. */
function launch(file: string, nodeFlags: string[] = []): { stdout: string; state: string } {
  const code = `const state = require('./apps/api/src/code-cache').runWithCodeCache(${JSON.stringify(file)});
    process.stdout.write('state=' + state);`;
  const run = spawnSync(process.execPath, [...nodeFlags, '-r', '@swc-node/register', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  const [stdout, state] = run.stdout.split('state=');
  return { stdout, state };
}

describe('runWithCodeCache', () => {
  let dir: string;
  let script: string;
  const caches = () => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));
  const writeScript = (greeting: string) =>
    writeFileSync(
      script,
      `const { answer } = require('./dependency');
       const same = this === exports && exports === module.exports;
       module.exports = answer;
       console.log(JSON.stringify({ greeting: ${JSON.stringify(greeting)}, answer, file: __filename, dir: __dirname, same }));`,
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    script = join(dir, 'main.js');
    writeFileSync(join(dir, 'dependency.js'), 'exports.answer = 42;');
    writeScript('hello');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the file as CommonJS: its own __filename, __dirname, require and exports', () => {
    const { stdout } = launch(script);
    expect(JSON.parse(stdout)).toEqual({
      greeting: 'hello',
      answer: 42,
      file: script,
      dir,
      same: true,
    });
  });

  it('writes a cache on exit when there is none, and uses it on the next start', () => {
    expect(launch(script).state).toBe('missing');
    expect(caches()).toHaveLength(1);
    const cache = readFileSync(join(dir, caches()[0]));

    const second = launch(script);
    expect(second.state).toBe('accepted');
    expect(JSON.parse(second.stdout).greeting).toBe('hello');
    expect(readFileSync(join(dir, caches()[0])).equals(cache)).toBe(true);
  });

  it('replaces a cache V8 refuses, and still runs the file', () => {
    launch(script);
    writeFileSync(join(dir, caches()[0]), 'not a V8 code cache');

    const refused = launch(script);
    expect(refused.state).toBe('rejected');
    expect(JSON.parse(refused.stdout).greeting).toBe('hello');
    expect(launch(script).state).toBe('accepted');
  });

  it('never uses the cache of an earlier build of the file, even one of the same length', () => {
    launch(script);
    writeScript('howdy'); // V8 itself only compares the source's length

    const rebuilt = launch(script);
    expect(rebuilt.state).toBe('missing');
    expect(JSON.parse(rebuilt.stdout).greeting).toBe('howdy');
  });

  it('keeps a cache per set of Node options, so starts with other V8 flags do not evict it', () => {
    const otherFlags = ['--max-semi-space-size=2']; // V8 refuses a cache made without it
    expect(launch(script).state).toBe('missing');
    expect(launch(script, otherFlags).state).toBe('missing');
    expect(caches()).toHaveLength(2);

    expect(launch(script).state).toBe('accepted');
    expect(launch(script, otherFlags).state).toBe('accepted');
  });

  it('runs without a cache where none can be read or written', () => {
    launch(script);
    const [cache] = caches();
    rmSync(join(dir, cache));
    mkdirSync(join(dir, cache)); // a directory where the cache file would be

    const run = launch(script);
    expect(run.state).toBe('missing');
    expect(JSON.parse(run.stdout).greeting).toBe('hello');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
