import { DataSource, QueryFailedError } from 'typeorm';
import { loadConfig } from '@app/config';
import { buildDataSourceOptions, createDataSource } from '@app/database';
import { Project } from '../projects/project.entity';
import { Tag } from '../tags/tag.entity';
import { migratedMemorySqlite } from '../../../../tools/testing/migrated-data-source';
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

describe('TaskReader on SQLite', () => {
  let dataSource: DataSource;
  let reader: TaskReader;
  let projectId: number;
  let tagIds: number[];

  beforeAll(async () => {
    dataSource = await migratedMemorySqlite();
    reader = new TaskReader(dataSource.getRepository(Task));
    const projects = dataSource.getRepository(Project);
    projectId = (await projects.save(projects.create({ name: 'Home' }))).id;
    const tags = dataSource.getRepository(Tag);
    tagIds = (await tags.save(tags.create([{ name: 'red' }, { name: 'blue' }]))).map((t) => t.id);
  });
  afterAll(() => dataSource?.destroy());

  const newTask = (fields: Partial<Task> = {}) =>
    Object.assign(new Task(), {
      projectId,
      title: 'Task',
      notes: null,
      status: 'todo',
      priority: 3,
      dueAt: null,
      estimateHours: null,
      metadata: null,
      ...fields,
    });
  const count = async (table: string) =>
    Number((await dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('inserts a task with its tags and returns it as stored, as get reads it back', async () => {
    const inserted = await reader.insert(
      newTask({
        title: 'Äpfel kaufen',
        notes: 'FRESH',
        status: 'in_progress',
        priority: 2,
        estimateHours: 1.5,
        metadata: { b: 1, a: [true, null] },
        dueAt: new Date('2030-01-15T10:00:00.123Z'),
      }),
      tagIds,
    );
    expect(inserted).toBeInstanceOf(Task);
    expect(inserted).toMatchObject({
      projectId,
      title: 'Äpfel kaufen',
      notes: 'FRESH',
      searchKey: 'äpfel kaufen\nfresh',
      status: 'in_progress',
      priority: 2,
      estimateHours: 1.5,
      metadata: { b: 1, a: [true, null] },
      dueAt: new Date('2030-01-15T10:00:00.123Z'),
    });
    // A new row was created and last updated at one instant.
    expect(inserted!.createdAt).toEqual(inserted!.updatedAt);
    const found = await reader.get(inserted!.id);
    expect(found?.task).toEqual(inserted);
    expect(found?.tags.sort()).toEqual(['blue', 'red']);
    // Stored as TypeORM stores jsonb on SQLite: binary JSONB.
    const [{ kind }] = await dataSource.query(
      'SELECT typeof("metadata") AS kind FROM tasks WHERE id = ?',
      [inserted!.id],
    );
    expect(kind).toBe('blob');
  });

  it('reads each task by its own id, without tags when it has none', async () => {
    const first = await reader.insert(newTask({ title: 'First' }), [tagIds[0]]);
    const second = await reader.insert(newTask({ title: 'Second' }), []);
    expect(await reader.get(first!.id)).toEqual({ task: first, tags: ['red'] });
    expect(await reader.get(second!.id)).toEqual({ task: second, tags: [] });
    expect(await reader.get(2_147_483_647)).toBeUndefined();
  });

  it('inserts nothing, and gives undefined, for a project that does not exist', async () => {
    const [tasks, links] = [await count('tasks'), await count('task_tags')];
    expect(await reader.insert(newTask({ projectId: 2_147_483_647 }), tagIds)).toBeUndefined();
    expect([await count('tasks'), await count('task_tags')]).toEqual([tasks, links]);
  });

  it('writes no task when linking its tags fails', async () => {
    const tasks = await count('tasks');
    await expect(reader.insert(newTask(), [2_147_483_647])).rejects.toThrow(/FOREIGN KEY/);
    expect(await count('tasks')).toBe(tasks);
  });

  it("reads many tasks' tag names in one map, by task id", async () => {
    const both = await reader.insert(newTask(), tagIds);
    const one = await reader.insert(newTask(), [tagIds[1]]);
    const none = await reader.insert(newTask(), []);
    const names = await reader.tagNames([both!.id, one!.id, none!.id]);
    expect([...names.keys()].sort()).toEqual([both!.id, one!.id].sort());
    expect(names.get(both!.id)?.sort()).toEqual(['blue', 'red']);
    expect(names.get(one!.id)).toEqual(['blue']);
    expect(await reader.tagNames([])).toEqual(new Map());
  });

  it("hydrates rows of the list queries by the alias's prefix", async () => {
    const task = await reader.insert(newTask({ title: 'Prefixed' }), []);
    const [row] = await reader.read<Record<string, unknown>>(
      'SELECT id AS t_id, title AS t_title, "createdAt" AS "t_createdAt" FROM tasks WHERE id = ?',
      [task!.id],
    );
    expect(reader.hydrate(row, 't_')).toMatchObject({
      id: task!.id,
      title: 'Prefixed',
      createdAt: task!.createdAt,
    });
  });

  it("rejects a failing read with TypeORM's QueryFailedError, never throwing", async () => {
    let read: Promise<unknown> | undefined;
    expect(() => (read = reader.read('SELECT nope FROM tasks', []))).not.toThrow();
    await expect(read).rejects.toBeInstanceOf(QueryFailedError);
    await expect(read).rejects.toMatchObject({ query: 'SELECT nope FROM tasks' });
  });
});
