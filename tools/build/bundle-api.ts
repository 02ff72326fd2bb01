// Bundles the compiled API into one CommonJS file, `<dist>/apps/api/bundle/main.js` (and the
// migrations one-shot into `migrate.js`), which `apps/api/src/launch.ts` runs with a V8 code
// cache. Why: start-up (P5 and P6 in BENCHMARKS.md). The API loads ~2,000 JavaScript files from
// node_modules; resolving, reading and compiling them was more than half of its start-up. One
// file, compiled once into a code cache, halves it.
//
// The input is tsc's output, not the TypeScript sources: tsc emits the decorator metadata Nest's
// dependency injection reads, esbuild does not.
//
// Usage: node -r @swc-node/register tools/build/bundle-api.ts [dist directory, default dist]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build, Plugin } from 'esbuild';
import { asciiOnly } from './ascii-only';
import { trimBundle } from './trim-bundle';

/**
 * Packages left out of the bundle: better-sqlite3 finds its native addon relative to its own
 * files; the others are optional packages Nest and pg load only when a feature needs them
 * (microservices, websockets, Express, views, multipart, native libpq), none of them installed.
 */
const EXTERNAL = [
  'better-sqlite3',
  'better-sqlite3-napi',
  'pg-native',
  '@nestjs/microservices',
  '@nestjs/websockets',
  '@nestjs/platform-express',
  '@fastify/view',
  '@fastify/multipart',
  'class-transformer/storage',
];

/**
 * Some Nest packages (ESM) load their peers with `createRequire(import.meta.url)(name)`, which a
 * bundler cannot follow: at run time that would load a second copy of @nestjs/swagger, typeorm
 * or class-validator from node_modules, the very files the bundle exists to avoid. Using the
 * module's plain `require` instead lets esbuild bundle those peers once. swagger-ui.js keeps its
 * own: it resolves the path of swagger-ui-dist's static files on disk.
 */
const bundlePeerRequires: Plugin = {
  name: 'bundle-peer-requires',
  setup(plugin) {
    // Every Nest file is read once, here (returning undefined would make esbuild read it again).
    plugin.onLoad({ filter: /node_modules[\\/]@nestjs[\\/].*\.js$/ }, async (args) => {
      if (args.path.endsWith('swagger-ui.js')) return undefined;
      const source = await readFile(args.path, 'utf8');
      const contents = source.replace('const require = createRequire(import.meta.url);', '');
      return { contents, loader: 'js' };
    });
  },
};

/**
 * esbuild's helper for `keepNames` defines `name` on every function it creates, closures made per
 * request included; redefining a property moves each closure off V8's fast path (the bundle
 * served about 20% fewer requests per CPU second). Names are only defined where they differ: on
 * the classes and functions scope hoisting renamed (`Logger2` stays `Logger`), as keepNames
 * intends. Nameless arrow functions stay nameless: esbuild wraps `const f = () => …` as
 * `__name(() => …, "f")`, which loses the name V8 would have inferred, and defining it again
 * cost ~3.7 µs a request in Fastify's per-request `onResFinished` alone (BENCHMARKS.md, eighth
 * round). Only stack traces read those names (they show `<anonymous>` for such frames).
 */
const NAME_HELPER = 'var __name=(target,value)=>__defProp(target,"name",{value,configurable:!0});';
const CHEAP_NAME_HELPER =
  'var __name=(target,value)=>target.name===value||target.name===""&&target.prototype===void 0?target:__defProp(target,"name",{value,configurable:!0});';

/** The bundles, by entry point: the API, and the migrations one-shot (Compose's `migrate`). */
export const BUNDLE_ENTRIES = ['main', 'migrate'] as const;

/** Bundles each of BUNDLE_ENTRIES into `<dist>/apps/api/bundle/<entry>.js`; returns the files. */
export async function bundleApi(dist: string): Promise<string[]> {
  const outdir = join(dist, 'apps/api/bundle');
  const { outputFiles } = await build({
    entryPoints: BUNDLE_ENTRIES.map((entry) => join(dist, `apps/api/src/${entry}.js`)),
    outdir,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Nest, TypeORM and Swagger read class names (log contexts, error names, schema names);
    // scope hoisting would otherwise rename colliding classes.
    keepNames: true,
    // A third smaller (less to read at start-up); identifiers stay, so stack traces read well.
    minifyWhitespace: true,
    minifySyntax: true,
    external: EXTERNAL,
    // trimBundle first: the files it replaces or edits skip bundlePeerRequires (none of them
    // loads a peer with createRequire).
    plugins: [trimBundle, bundlePeerRequires],
    // The bundle runs as a classic script (vm.Script): no import(), and import.meta.url from
    // the ESM packages becomes the bundle's own URL. Strict mode first: the ESM packages were
    // strict, and esbuild's own "use strict" would come after the banner, where it does nothing.
    supported: { 'dynamic-import': false },
    banner: {
      js: "'use strict';\nconst __importMetaUrl = require('node:url').pathToFileURL(__filename).href;",
    },
    define: { 'import.meta.url': '__importMetaUrl' },
    logLevel: 'warning',
  });
  await mkdir(outdir, { recursive: true });
  for (const bundle of outputFiles) {
    if (!bundle.text.includes(NAME_HELPER)) {
      throw new Error("esbuild's __name helper changed: update NAME_HELPER in bundle-api.ts");
    }
    await writeFile(bundle.path, asciiOnly(bundle.text.replace(NAME_HELPER, CHEAP_NAME_HELPER)));
  }
  return outputFiles.map((bundle) => bundle.path);
}

if (require.main === module) {
  const dist = resolve(process.argv[2] ?? 'dist');
  bundleApi(dist).then(
    (files) => console.log(`API bundles: ${files.join(', ')}`),
    (error: Error) => {
      console.error(`Bundling the API failed: ${error.message}`);
      process.exit(1);
    },
  );
}
