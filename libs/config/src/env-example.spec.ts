import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema, FILE_VARIABLES } from './env.schema';

const ROOT = join(__dirname, '../../..');
const VARIABLE = /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/;
const lines = readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n');

/** The block for Docker Compose alone, up to the next `# ---` header: each variable's line. */
const COMPOSE_HEADER =
  '# --- Docker Compose only (interpolated into docker-compose*.yml; the app never reads them) ---';
const composeStart = lines.indexOf(COMPOSE_HEADER);
const composeEnd = lines.findIndex((line, i) => i > composeStart && line.startsWith('# ---'));
const composeOnly = new Map(
  (composeStart < 0 ? [] : lines.slice(composeStart, composeEnd < 0 ? undefined : composeEnd))
    .filter((line) => VARIABLE.test(line))
    .map((line) => [VARIABLE.exec(line)![1], line]),
);

/** Each `${NAME}`, `${NAME:-default}`, `${NAME:?message}` of the compose files, with defaults. */
const interpolated = new Map<string, Set<string | undefined>>();
for (const file of readdirSync(ROOT).filter((name) => /^docker-compose.*\.ya?ml$/.test(name))) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  // `$${NAME}` is escaped: the container's shell reads it, not Compose.
  for (const [, name, fallback] of text.matchAll(/(?<!\$)\$\{([A-Z_][A-Z0-9_]*)(?::?-([^}]*))?/g)) {
    interpolated.set(name, (interpolated.get(name) ?? new Set()).add(fallback));
  }
}

const documented = new Map(
  lines
    .map((line) => VARIABLE.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, key, value]) => [key, value]),
);

/** The comment lines right above each variable (up to a blank line or another variable). */
const comments = new Map(
  lines.flatMap((line, index) => {
    const match = VARIABLE.exec(line);
    if (!match) return [];
    const above: string[] = [];
    for (let i = index - 1; i >= 0 && lines[i].startsWith('#') && !VARIABLE.test(lines[i]); i--)
      above.unshift(lines[i].replace(/^#\s?/, ''));
    return [[match[1], above.join(' ')]];
  }),
);

/** `key`'s comment says what it does, in some words, then ends with `(default: expected)`. */
function expectCommentWithDefault(key: string, expected: string | undefined): void {
  const comment = comments.get(key) ?? '';
  expect({ key, comment }).toEqual({
    key,
    comment: expect.stringMatching(/^\S.{10,}\(default: [^)]*\)$/),
  });
  expect({ key, default: /\(default: ([^)]*)\)$/.exec(comment)?.[1] }).toEqual({
    key,
    default: expected,
  });
}

describe('.env.example', () => {
  const schemaKeys = Object.keys(envSchema.shape);
  const fileKeys = FILE_VARIABLES.map((name) => `${name}_FILE`);
  const defaults = envSchema.parse({});

  it('documents every variable of the schema, and every *_FILE variant, outside the Compose block', () => {
    const appKeys = [...documented.keys()].filter((key) => !composeOnly.has(key));
    expect(appKeys.sort()).toEqual([...schemaKeys, ...fileKeys].sort());
  });

  it('lists in its Compose block exactly what the compose files interpolate beyond the app', () => {
    const composeKeys = [...interpolated.keys()].filter(
      (key) => !schemaKeys.includes(key) && !fileKeys.includes(key),
    );
    expect(composeKeys.length).toBeGreaterThan(0);
    expect([...composeOnly.keys()].sort()).toEqual(composeKeys.sort());
  });

  it("shows each Compose variable commented out, with Compose's default on its line and in its comment", () => {
    for (const [key, line] of composeOnly) {
      const [fallback, ...others] = [...interpolated.get(key)!];
      expect({ key, others }).toEqual({ key, others: [] }); // the same default in every file
      expect({ key, line }).toEqual({ key, line: `# ${key}=${fallback}` });
      expectCommentWithDefault(key, fallback);
    }
  });

  it('shows each default exactly as the schema applies it', () => {
    for (const key of schemaKeys) {
      const value = defaults[key as keyof typeof defaults];
      if (value === undefined) continue;
      expect({ key, documented: documented.get(key) }).toEqual({ key, documented: String(value) });
    }
  });

  it('gives every variable its own comment, ending with the default the schema applies', () => {
    for (const key of [...schemaKeys, ...fileKeys]) {
      const value = defaults[key as keyof typeof defaults];
      expectCommentWithDefault(
        key,
        value === undefined || String(value) === '' ? 'none' : String(value),
      );
    }
  });
});
