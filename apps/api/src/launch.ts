// The production entry point (`npm start`, the Docker image): runs a bundle built by
// tools/build/bundle-api.ts with a V8 code cache (code-cache.ts). main.ts stays the entry point
// for development and tests, from source.
//
//   node dist/apps/api/src/launch.js            the API (bundle/main.js)
//   node dist/apps/api/src/launch.js migrate    apply pending migrations, then exit (migrate.js)
import { join } from 'node:path';
import { runWithCodeCache } from './code-cache';

const BUNDLES: Record<string, string> = { api: 'main.js', migrate: 'migrate.js' };

const name = process.argv[2] ?? 'api';
const bundle = BUNDLES[name];
if (bundle) {
  runWithCodeCache(join(__dirname, '../bundle', bundle));
} else {
  console.error(`Unknown command ${name}: expected ${Object.keys(BUNDLES).join(' or ')}`);
  process.exitCode = 2;
}
