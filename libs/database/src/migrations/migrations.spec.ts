import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POSTGRES_MIGRATIONS } from './postgres';
import { SQLITE_MIGRATIONS } from './sqlite';

const stem = (migration: Function) => migration.name.replace(/\d+$/, '');

function sources(dialect: 'sqlite' | 'postgres'): [string, string][] {
  const folder = join(__dirname, dialect);
  return readdirSync(folder)
    .filter((f) => /^\d+-\w+\.ts$/.test(f))
    .map((f) => [f, readFileSync(join(folder, f), 'utf8')]);
}

/** SQL of the other dialect that must never appear in a migration set. */
const FOREIGN_SQL = {
  postgres: [/\bdatetime\b/i, /\bAUTOINCREMENT\b/i, /\btemporary_/i],
  sqlite: [/timestamp with/i, /\bnow\(\)/i, /\bSERIAL\b/i, /uuid_generate_v4/i],
};

describe('migration registries', () => {
  it('hold the same class-name stems in the same order on both dialects', () => {
    expect(SQLITE_MIGRATIONS.length).toBeGreaterThan(0);
    expect(SQLITE_MIGRATIONS.map(stem)).toEqual(POSTGRES_MIGRATIONS.map(stem));
    expect(SQLITE_MIGRATIONS.map((m) => m.name)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.name));
  });

  it.each(['sqlite', 'postgres'] as const)('list every %s migration file, oldest first', (d) => {
    const registry = d === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;
    const files = sources(d).map(([f]) => f.replace(/^(\d+)-(\w+)\.ts$/, '$2$1'));
    expect(registry.map((m) => m.name)).toEqual(files);
    const timestamps = registry.map((m) => Number(/\d+$/.exec(m.name)![0]));
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
  });

  it.each(['sqlite', 'postgres'] as const)('contain no SQL of the other dialect: %s', (d) => {
    for (const [file, source] of sources(d)) {
      for (const pattern of FOREIGN_SQL[d])
        expect(`${file}: ${pattern.test(source)}`).toBe(`${file}: false`);
    }
  });
});

// PITFALLS 26: a managed PostgreSQL gives the app a role that is no superuser and may not
// create extensions; uuid_generate_v4() needs uuid-ossp. (The start-up e2e test migrates an
// empty database as such a role.)
describe('PostgreSQL migrations', () => {
  it('need no extension nor superuser rights', () => {
    for (const [file, source] of sources('postgres')) {
      for (const pattern of [/CREATE EXTENSION/i, /uuid_generate_v4|uuid-ossp/i, /SUPERUSER/i])
        expect(`${file}: ${pattern.test(source)}`).toBe(`${file}: false`);
    }
  });
});
