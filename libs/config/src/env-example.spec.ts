import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema, FILE_VARIABLES } from './env.schema';

const VARIABLE = /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/;
const lines = readFileSync(join(__dirname, '../../../.env.example'), 'utf8').split('\n');

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

describe('.env.example', () => {
  const schemaKeys = Object.keys(envSchema.shape);
  const fileKeys = FILE_VARIABLES.map((name) => `${name}_FILE`);
  const defaults = envSchema.parse({});

  it('documents every variable of the schema, and every *_FILE variant', () => {
    expect([...documented.keys()].sort()).toEqual([...schemaKeys, ...fileKeys].sort());
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
      const expected = value === undefined || String(value) === '' ? 'none' : String(value);
      const comment = comments.get(key) ?? '';
      // Some words on what it does, then "(default: …)".
      expect({ key, comment }).toEqual({
        key,
        comment: expect.stringMatching(/^\S.{10,}\(default: [^)]*\)$/),
      });
      expect({ key, default: /\(default: ([^)]*)\)$/.exec(comment)?.[1] }).toEqual({
        key,
        default: expected,
      });
    }
  });
});
