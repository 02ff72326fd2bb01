import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** What happened to the code cache: used, missing, or refused by V8 (another Node or build). */
export type CodeCacheState = 'accepted' | 'missing' | 'rejected';

/**
 * Runs the CommonJS file `file` (the API bundle) the way `require` would, but compiled with a
 * V8 code cache kept next to it, so a start-up skips parsing and compiling the 4.7 MB bundle.
 *
 * The cache file is named after the bundle's size and modification time, so a rebuilt bundle
 * never meets an old cache, and after Node's command-line options (`process.execArgv` and
 * NODE_OPTIONS, hashed): V8 refuses a cache made under other flags (`--max-semi-space-size`,
 * say), so starts with different flags keep a cache each instead of overwriting each other's.
 * When there was no usable cache, one is written as the process exits: by then V8 has compiled
 * every function start-up and the requests served ran, and all of them go into the cache. Writing is best-effort: a read-only directory (a container's image
 * files) only means no cache; the Dockerfile writes one at build time.
 */
export function runWithCodeCache(file: string): CodeCacheState {
  const source = readFileSync(file, 'utf8');
  const { size, mtimeMs } = statSync(file);
  const cacheFile = `${file}.${size}-${Math.trunc(mtimeMs)}-${nodeOptionsKey()}.v8cache`;
  const cachedData = readIfPresent(cacheFile);
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const state: CodeCacheState =
    cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted';
  if (state !== 'accepted') process.once('exit', () => writeCache(script, cacheFile));

  const module = new Module(file);
  module.filename = file;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return state;
}

/** Eight hex digits naming the options this process was started with. */
function nodeOptionsKey(): string {
  const options = JSON.stringify([process.execArgv, process.env.NODE_OPTIONS ?? '']);
  return createHash('sha256').update(options).digest('hex').slice(0, 8);
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(script: Script, cacheFile: string): void {
  const partial = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile);
  } catch {
    rmSync(partial, { force: true });
  }
}
