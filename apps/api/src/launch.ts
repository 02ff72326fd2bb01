// The production entry point (`npm start`, the Docker image): runs the API bundle built by
// tools/build/bundle-api.ts with a V8 code cache (code-cache.ts). main.ts stays the entry point
// for development and tests, from source.
import { join } from 'node:path';
import { runWithCodeCache } from './code-cache';

runWithCodeCache(join(__dirname, '../bundle/main.js'));
