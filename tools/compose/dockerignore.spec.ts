import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/**
 * `.dockerignore` as Docker reads it (moby/patternmatcher): each pattern is relative to the
 * context root (unlike .gitignore, `.env` is only the root's), `*` and `?` stay within one path
 * segment, `**` spans any number, a pattern that matches a folder excludes what it holds, and
 * the last matching pattern wins (`!` re-includes).
 */
function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = (negated ? line.slice(1) : line).trim().replace(/^\/+|\/+$/g, '');
      const source = pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) =>
          part === '**/'
            ? '(?:.*/)?'
            : part === '**'
              ? '.*'
              : part === '*'
                ? '[^/]*'
                : part === '?'
                  ? '[^/]'
                  : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      return { negated, regex: new RegExp(`^${source}$`) };
    });
  return (path) => {
    const segments = path.split('/');
    const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const { negated, regex } of rules) {
      if (prefixes.some((prefix) => regex.test(prefix))) excluded = !negated;
    }
    return excluded;
  };
}

describe('.dockerignore', () => {
  const excluded = dockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));

  it('matches as Docker does: root-relative patterns, ** across folders, last match wins', () => {
    const check = dockerignore('.env\n**/*.log\ntools\n!tools/build\n');
    expect(check('.env')).toBe(true);
    expect(check('apps/api/.env')).toBe(false);
    expect(check('a.log')).toBe(true);
    expect(check('apps/api/a.log')).toBe(true);
    expect(check('tools/compose/x.ts')).toBe(true);
    expect(check('tools/build/x.ts')).toBe(false);
  });

  // `COPY apps ./apps` and `COPY libs ./libs` put whatever the context holds there into the
  // build stage's layers (and the daemon's build cache), secrets and local databases included.
  it.each([
    '.env',
    '.env.local',
    'apps/api/.env',
    'apps/api/.env.local',
    'libs/config/.env.production',
    'tools/build/.env',
    'data/app.sqlite',
    'app.sqlite',
    'apps/api/data/app.sqlite',
    'apps/api/dev.sqlite',
    'apps/api/dev.sqlite-wal',
    'libs/database/test.sqlite-shm',
    'node_modules/pg/package.json',
    'apps/api/node_modules/x/index.js',
    'dist/apps/api/src/main.js',
    '.git/HEAD',
    'apps/api/src/main.spec.ts',
    'apps/api/test/app.e2e-spec.ts',
    'tools/compose/test-compose.ts',
  ])('keeps %s out of the build context', (path) => {
    expect(excluded(path)).toBe(true);
  });

  it.each([
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'nest-cli.json',
    'apps/api/src/main.ts',
    'apps/cli/src/main.ts',
    'libs/database/src/data-source.ts',
    'libs/database/src/migrations/postgres/index.ts',
    'tools/build/bundle-api.ts',
    'docker/healthcheck.js',
    'docker/smoke.js',
    'docker/sqlite-gc-check.js',
  ])('sends %s, which the image build needs', (path) => {
    expect(excluded(path)).toBe(false);
  });
});
