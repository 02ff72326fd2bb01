import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { buildDataSourceOptions, createDataSource } from '@app/database';
import { TaskReader } from './task-reader';
import { Task } from './task.entity';

/** Values of every kind a driver could hand over for a column, usual and unusual. */
const SAMPLES: unknown[] = [
  null,
  undefined,
  0,
  -0,
  7,
  -12,
  2.5,
  2 ** 53,
  1e21,
  NaN,
  '',
  '42',
  '2.75',
  ' 3 ',
  'abc',
  '2026-03-04 05:06:07.089',
  '2026-03-04T05:06:07.089Z',
  '2026-03-04 05:06',
  '{"a":[1,{"b":null}]}',
  'null',
  true,
  12n,
  { a: 1 },
  new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
];

/**
 * A computation's value, or its error's message: hydrating may throw, and must throw alike.
 * A Date as its time (Jest finds two invalid dates unequal).
 */
function outcome(compute: () => unknown): unknown {
  try {
    const value = compute();
    return value instanceof Date ? { date: String(value.getTime()) } : { value };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

async function dataSourceFor(env: Record<string, string>): Promise<DataSource> {
  const dataSource = createDataSource(
    buildDataSourceOptions(loadConfig(env, '/nonexistent/.env').database),
  );
  // Entity metadata without connecting: the hydrators need no server.
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return dataSource;
}

describe.each([
  ['SQLite', { DB_TYPE: 'sqlite', SQLITE_PATH: ':memory:' }],
  ['PostgreSQL', { DB_TYPE: 'postgres', DATABASE_URL: 'postgres://app@127.0.0.1:1/app' }],
])('TaskReader.hydrate on %s', (_, env) => {
  let dataSource: DataSource;
  let reader: TaskReader;

  beforeAll(async () => {
    dataSource = await dataSourceFor(env);
    reader = new TaskReader(dataSource.getRepository(Task));
  });

  it("gives every column, whatever the value, what the driver's own prepareHydratedValue gives", () => {
    const { driver } = dataSource;
    const columns = dataSource.getMetadata(Task).columns.filter((column) => !column.isVirtual);
    expect(columns.map((column) => column.propertyName)).toContain('estimateHours');
    let compared = 0;
    for (const column of columns) {
      for (const sample of SAMPLES) {
        const row = { [column.databaseName]: sample };
        const ours = outcome(() => (reader.hydrate(row) as never)[column.propertyName]);
        const typeorms = outcome(() => driver.prepareHydratedValue(sample, column));
        expect({ column: column.propertyName, sample, hydrated: ours }).toEqual({
          column: column.propertyName,
          sample,
          hydrated: typeorms,
        });
        compared++;
      }
    }
    expect(compared).toBe(columns.length * SAMPLES.length);
  });

  it('makes Task instances', () => {
    expect(reader.hydrate({ id: 1, title: 't' })).toBeInstanceOf(Task);
  });
});
