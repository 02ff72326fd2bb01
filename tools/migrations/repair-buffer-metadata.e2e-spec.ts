import { DataSource } from 'typeorm';
import { dataSourceWithMigrations } from '../testing/migrated-data-source';
import { freshDatabaseEnv } from '../testing/test-api';

const MIGRATION = 'RepairBufferMetadata1795969345294';
const NOW = `'2026-01-01T12:00:00.000Z'`;
const ORIGINAL = { z: 1, a: { y: [2, 'é', 1.5], b: null }, t: true };

/** SQLite's binary JSONB of `value`, as TypeORM's save stored it (`jsonb(?)`). */
async function jsonb(dataSource: DataSource, value: unknown): Promise<Buffer> {
  const [{ b }] = await dataSource.query(`SELECT jsonb(?) AS b`, [JSON.stringify(value)]);
  return b;
}

/**
 * The bug's damage after `saves` saves: each read the stored JSONB as a Buffer, and the save
 * stored that Buffer's JSON (`{"type":"Buffer","data":[…]}`) as JSONB.
 */
async function wrapped(dataSource: DataSource, saves: number): Promise<Buffer> {
  let stored = await jsonb(dataSource, ORIGINAL);
  for (let i = 0; i < saves; i++) stored = await jsonb(dataSource, stored.toJSON());
  return stored;
}

describe(`sqlite: migration ${MIGRATION}`, () => {
  it('unwraps metadata that PATCH-then-save stored as Buffer JSON; leaves every other value', async () => {
    const env = await freshDatabaseEnv('sqlite');
    const before = dataSourceWithMigrations(env, { before: MIGRATION });
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    const notJsonbObject = await jsonb(before, [1, 2]);
    const values: [id: number, value: unknown][] = [
      [1, await wrapped(before, 1)],
      [2, await wrapped(before, 3)],
      [3, await wrapped(before, 0)], // a PATCH not saved again: valid JSONB, read right now
      [4, JSON.stringify(ORIGINAL)], // a create: text
      [5, JSON.stringify({ type: 'Buffer', data: [1, 2, 3] })], // bytes that are no JSONB
      [6, JSON.stringify({ type: 'Buffer', data: 'abc' })],
      [7, JSON.stringify({ type: 'Buffer', data: [...notJsonbObject] })], // JSONB, no object
      [8, JSON.stringify({ type: 'Buffer', data: [...(await jsonb(before, ORIGINAL))], x: 1 })],
      [9, null],
    ];
    await before.query(
      `INSERT INTO projects (id, name, "nameKey", "createdAt", "updatedAt") VALUES (1, 'P', 'p', ${NOW}, ${NOW})`,
    );
    for (const [id, value] of values) {
      await before.query(
        `INSERT INTO tasks (id, "projectId", title, "searchKey", metadata, "createdAt", "updatedAt") VALUES (?, 1, 'T', 't', ?, ${NOW}, ${NOW})`,
        [id, value],
      );
    }
    const read = async (dataSource: DataSource) =>
      (await dataSource.query(`SELECT json(metadata) AS m FROM tasks ORDER BY id`)).map(
        ({ m }: { m: string | null }) => m,
      );
    const untouched = (await read(before)).slice(4);
    await before.destroy();

    const dataSource = dataSourceWithMigrations(env, { through: MIGRATION });
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((m) => m.name)).toEqual([MIGRATION]);
      const original = JSON.stringify(ORIGINAL); // key order kept
      expect(await read(dataSource)).toEqual([
        original,
        original,
        original,
        original,
        ...untouched,
      ]);
      expect(untouched[0]).toBe('{"type":"Buffer","data":[1,2,3]}');
    } finally {
      await dataSource.destroy();
    }
  });
});
