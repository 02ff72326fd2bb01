import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema, FILE_VARIABLES } from './env.schema';

const documented = new Map(
  readFileSync(join(__dirname, '../../../.env.example'), 'utf8')
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, key, value]) => [key, value]),
);

describe('.env.example', () => {
  const schemaKeys = Object.keys(envSchema.shape);
  const fileKeys = FILE_VARIABLES.map((name) => `${name}_FILE`);

  it('documents every variable of the schema, and every *_FILE variant', () => {
    expect([...documented.keys()].sort()).toEqual([...schemaKeys, ...fileKeys].sort());
  });

  it('shows each default exactly as the schema applies it', () => {
    const defaults = envSchema.parse({});
    for (const key of schemaKeys) {
      const value = defaults[key as keyof typeof defaults];
      if (value === undefined) continue;
      expect({ key, documented: documented.get(key) }).toEqual({ key, documented: String(value) });
    }
  });
});
