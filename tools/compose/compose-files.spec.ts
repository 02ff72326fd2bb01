import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '../..');
const composeFile = (name: string) =>
  parse(readFileSync(join(ROOT, name), 'utf8'), { merge: true }) as Record<string, any>;

describe('the compose files', () => {
  const main = composeFile('docker-compose.yml');
  const sqlite = composeFile('docker-compose.sqlite.yml');

  it('give the SQLite variant its own project name, so it never takes over the main stack', () => {
    expect(sqlite.name).toBe('nest-tasks-sqlite');
    // Why it matters: both define an `api` service, which one project would share.
    expect(Object.keys(sqlite.services)).toContain('api');
    expect(Object.keys(main.services)).toContain('api');
  });

  it('leave the main stack unnamed: a name would rename the volumes of existing stacks', () => {
    // Compose then names the project after the folder, as it always has: postgres_data stays
    // <folder>_postgres_data.
    expect(Object.keys(main)).not.toContain('name');
    expect(Object.keys(main.volumes)).toEqual(['postgres_data']);
  });

  it('pin no container or volume name that would collide across projects', () => {
    for (const file of [main, sqlite]) {
      for (const service of Object.values<Record<string, unknown>>(file.services)) {
        expect(service).not.toHaveProperty('container_name');
      }
      for (const volume of Object.values<Record<string, unknown> | null>(file.volumes)) {
        expect(volume ?? {}).not.toHaveProperty('name');
      }
    }
  });
});
