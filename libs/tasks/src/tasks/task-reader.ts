import type { Database as SqliteDatabase, Statement as SqliteStatement } from 'better-sqlite3';
import { Driver, EntityManager, QueryFailedError, Repository } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { parseSqliteUtcDatetime } from '@app/database';
import { Task } from './task.entity';

/** A task with its tag names, as the API returns it. */
export interface TaskWithTags {
  task: Task;
  tags: string[];
}

/** The promise of a synchronous computation: its value, or its exception as a rejection. */
function settled<T>(compute: () => T): Promise<T> {
  try {
    return Promise.resolve(compute());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** One column's raw value to its entity value. */
type Hydrator = (value: unknown) => unknown;

/**
 * Column types that no branch of the driver's `prepareHydratedValue` converts (TypeORM 1.x):
 * their values are returned as read, or given to the column's transformer. PostgreSQL's driver
 * also leaves JSON as pg parsed it. task-reader.spec.ts holds every hydrator to the driver's
 * own result, so that a TypeORM upgrade that starts converting one of them fails there.
 */
const PLAIN_TYPES = [String, 'text', 'varchar', 'int', 'integer', 'decimal'];
const AS_READ = {
  sqlite: new Set<unknown>(PLAIN_TYPES),
  postgres: new Set<unknown>([...PLAIN_TYPES, 'jsonb']),
};

/**
 * How a column is hydrated, decided once: as the driver's own `prepareHydratedValue` does,
 * without its chain of type comparisons per value where the column's type makes the answer
 * plain (12 columns a task, 20 tasks a page). SQLite `Date` columns in the form TypeORM stores
 * them are read without V8's date string parser (three per task; `parseSqliteUtcDatetime`
 * falls back to the driver for anything else, which `createDataSource` makes read every other
 * SQLite time value as UTC too). Any other value (a string in an integer column) goes to the
 * driver.
 */
function hydratorFor(driver: Driver, column: ColumnMetadata): Hydrator {
  const hydrate: Hydrator = (value) => driver.prepareHydratedValue(value, column);
  const sqlite = driver.options.type === 'better-sqlite3';
  const asRead = AS_READ[sqlite ? 'sqlite' : 'postgres'].has(column.type);
  const { type, transformer } = column;
  if (transformer) {
    return asRead && !Array.isArray(transformer) ? (value) => transformer.from(value) : hydrate;
  }
  if (asRead) return (value) => value;
  // Both drivers' parseInt(value), which also makes -0 a 0.
  if (type === Number) {
    return (value) => (Number.isSafeInteger(value) ? (value as number) + 0 : hydrate(value));
  }
  if (!sqlite) return hydrate;
  if (type === 'jsonb') {
    return (value) => (typeof value === 'string' ? JSON.parse(value) : hydrate(value));
  }
  if (type === Date) {
    return (value) =>
      (typeof value === 'string' && parseSqliteUtcDatetime(value)) || hydrate(value);
  }
  return hydrate;
}

/**
 * The hot single-task reads as two plain, cached statements (the task's row, its tag names)
 * instead of `findOne({ relations })`, whose query building and joined-row hydration cost more
 * than the queries. Rows are hydrated column by column as the driver's own
 * `prepareHydratedValue` does, so values (dates, decimals, JSON) come out exactly as TypeORM
 * would return them.
 */
export class TaskReader {
  private readonly columns: ColumnMetadata[];
  private readonly hydrators: [databaseName: string, propertyName: string, Hydrator][];
  /** `rowKeys` by prefix: '' and the list queries' `t_`. */
  private readonly keysByPrefix = new Map<string, string[]>();
  private readonly byIdSql: string;
  private readonly tagsSql: string;
  /** PostgreSQL: the task's row and its tag names (`tagNames`) in one statement. */
  private readonly byIdWithTagsSql: string;
  private readonly insertColumns: ColumnMetadata[];
  private readonly insertSql: string;
  /**
   * better-sqlite3 statements by SQL text. The texts are bounded: this class's own, one tag
   * query per page size, and TasksService's list queries (two per filter shape and sort).
   */
  private readonly statements = new Map<string, SqliteStatement>();
  private readonly sqlite: boolean;

  constructor(private readonly repository: Repository<Task>) {
    const { driver } = repository.manager.connection;
    this.sqlite = driver.options.type === 'better-sqlite3';
    const q = (name: string) => driver.escape(name);
    const id = driver.createParameter('id', 0);
    this.columns = repository.metadata.columns.filter((column) => !column.isVirtual);
    this.hydrators = this.columns.map((column) => [
      column.databaseName,
      column.propertyName,
      hydratorFor(driver, column),
    ]);
    // A jsonb column on SQLite is binary JSONB, as TypeORM writes and reads it (`jsonb(?)` in
    // its saves, `json(…)` in its selects): raw, it would come back as a Buffer.
    const sqliteJsonb = (column: ColumnMetadata) => this.sqlite && column.type === 'jsonb';
    const selected = (column: ColumnMetadata) => {
      const name = q(column.databaseName);
      return sqliteJsonb(column) ? `json(${name}) AS ${name}` : name;
    };
    const list = this.columns.map(selected).join(', ');
    this.byIdSql = `SELECT ${list} FROM ${q('tasks')} WHERE ${q('id')} = ${id}`;
    this.tagsSql =
      `SELECT g.${q('name')} AS ${q('name')} FROM ${q('task_tags')} tt ` +
      `INNER JOIN ${q('tags')} g ON g.${q('id')} = tt.${q('tagId')} WHERE tt.${q('taskId')} = ${id}`;
    this.byIdWithTagsSql =
      `SELECT ${list}, ${this.tagNamesSql('t')} AS ${q('tagNames')} ` +
      `FROM ${q('tasks')} t WHERE t.${q('id')} = ${id}`;
    this.insertColumns = this.columns.filter((column) => !column.isGenerated);
    const names = this.insertColumns.map((column) => q(column.databaseName)).join(', ');
    const values = this.insertColumns.map((column, i) => {
      const value = driver.createParameter(column.propertyName, i);
      return sqliteJsonb(column) ? `jsonb(${value})` : value;
    });
    // INSERT … SELECT … WHERE EXISTS: a task whose project does not exist inserts nothing, so
    // the check costs no round trip of its own and no id (PostgreSQL takes the id from the
    // sequence only for a row it inserts). A project deleted meanwhile still meets the key.
    const projectId = driver.createParameter('projectId', values.length);
    this.insertSql =
      `INSERT INTO ${q('tasks')} (${names}) SELECT ${values.join(', ')} ` +
      `WHERE EXISTS (SELECT 1 FROM ${q('projects')} WHERE ${q('id')} = ${projectId}) ` +
      `RETURNING ${list}`;
  }

  /**
   * A read-only query (positional parameters), through `manager` when given (a transaction's).
   * On better-sqlite3 the statement is prepared once and run directly (the driver is
   * synchronous, on one connection: TypeORM's query runner would only add promise and event
   * plumbing); errors are wrapped in TypeORM's QueryFailedError as its runner does.
   */
  read<T>(sql: string, parameters: unknown[], manager?: EntityManager): Promise<T[]> {
    if (!this.sqlite) return (manager ?? this.repository.manager).query<T[]>(sql, parameters);
    return settled(() => this.readNow<T>(sql, parameters));
  }

  /** `read` on better-sqlite3, synchronously. */
  private readNow<T>(sql: string, parameters: unknown[]): T[] {
    try {
      let statement = this.statements.get(sql);
      if (!statement) {
        const { driver } = this.repository.manager.connection;
        const database = (driver as unknown as { databaseConnection: SqliteDatabase })
          .databaseConnection;
        statement = database.prepare(sql);
        this.statements.set(sql, statement);
      }
      return statement.all(...parameters) as T[];
    } catch (error) {
      throw new QueryFailedError(sql, parameters, error as Error);
    }
  }

  /**
   * PostgreSQL: an array of the tag names of the task aliased `alias`, as a column of the
   * statement that reads the task. One statement sees one moment: the task's row and its tags
   * read by two (on two pooled connections, or one after the other) could each see another
   * moment, and show a task deleted in between with no tags, which it never had.
   */
  tagNamesSql(alias: string): string {
    const { driver } = this.repository.manager.connection;
    const q = (name: string) => driver.escape(name);
    return (
      `ARRAY(SELECT g.${q('name')} FROM ${q('task_tags')} tt INNER JOIN ${q('tags')} g ` +
      `ON g.${q('id')} = tt.${q('tagId')} WHERE tt.${q('taskId')} = ${alias}.${q('id')})`
    );
  }

  /** The tag names of many tasks in one query (no query per task). */
  async tagNames(taskIds: number[]): Promise<Map<number, string[]>> {
    const names = new Map<number, string[]>();
    if (taskIds.length === 0) return names;
    const { driver } = this.repository.manager.connection;
    const q = (name: string) => driver.escape(name);
    const ids = taskIds.map((_, i) => driver.createParameter(`id${i}`, i)).join(', ');
    const rows = await this.read<{ taskId: number | string; name: string }>(
      `SELECT tt.${q('taskId')} AS ${q('taskId')}, g.${q('name')} AS ${q('name')} ` +
        `FROM ${q('task_tags')} tt INNER JOIN ${q('tags')} g ON g.${q('id')} = tt.${q('tagId')} ` +
        `WHERE tt.${q('taskId')} IN (${ids})`,
      taskIds,
    );
    for (const { taskId, name } of rows) {
      const id = Number(taskId);
      const list = names.get(id);
      if (list) list.push(name);
      else names.set(id, [name]);
    }
    return names;
  }

  /**
   * Inserts a task (the entity's `@BeforeInsert` listeners run first, as with `save()`) and
   * links its tags, in one transaction when there are links. Returns the row as stored
   * (`RETURNING` every column: PostgreSQL's jsonb, for one, normalizes key order), so that no
   * re-read is needed; undefined, with nothing written, when the task's project does not exist.
   */
  async insert(task: Task, tagIds: number[]): Promise<Task | undefined> {
    const { connection } = this.repository.manager;
    const { driver } = connection;
    const { metadata } = this.repository;
    for (const listener of metadata.beforeInsertListeners) {
      if (listener.isAllowed(task)) listener.execute(task);
    }
    const parameters = this.insertColumns.map((column) =>
      driver.preparePersistentValue(column.getEntityValue(task), column),
    );
    parameters.push(task.projectId);
    const run = async (manager: EntityManager): Promise<Task | undefined> => {
      const [row] = await manager.query<Record<string, unknown>[]>(this.insertSql, parameters);
      if (!row) return undefined;
      const inserted = this.hydrate(row);
      const { id } = inserted;
      if (tagIds.length > 0) {
        const q = (name: string) => driver.escape(name);
        const rows = tagIds.map(
          (_, i) =>
            `(${driver.createParameter('t', 2 * i)}, ${driver.createParameter('g', 2 * i + 1)})`,
        );
        await manager.query(
          `INSERT INTO ${q('task_tags')} (${q('taskId')}, ${q('tagId')}) VALUES ${rows.join(', ')}`,
          tagIds.flatMap((tagId) => [id, tagId]),
        );
      }
      return inserted;
    };
    return tagIds.length > 0 ? connection.transaction(run) : run(this.repository.manager);
  }

  get(id: number, manager?: EntityManager): Promise<TaskWithTags | undefined> {
    if (this.sqlite) {
      // Both statements and the hydration at once: one settled promise, no Promise.all.
      return settled(() =>
        this.found(this.readNow(this.byIdSql, [id]), this.readNow(this.tagsSql, [id])),
      );
    }
    return this.read<Record<string, unknown>>(this.byIdWithTagsSql, [id], manager).then(
      ([row]) => row && { task: this.hydrate(row), tags: row.tagNames as string[] },
    );
  }

  private found(
    rows: Record<string, unknown>[],
    tags: { name: string }[],
  ): TaskWithTags | undefined {
    if (rows.length === 0) return undefined;
    return { task: this.hydrate(rows[0]), tags: tags.map((tag) => tag.name) };
  }

  /** Raw rows to entities; `prefix` is the query builder's alias prefix (`t_`) when there is one. */
  hydrate(row: Record<string, unknown>, prefix = ''): Task {
    const keys = this.rowKeys(prefix);
    const task = new Task() as unknown as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      const [, propertyName, hydrate] = this.hydrators[i];
      task[propertyName] = hydrate(row[keys[i]]);
    }
    return task as unknown as Task;
  }

  /**
   * The row's key of each column under `prefix`, made once per prefix: a key concatenated per
   * value is a new string that V8 hashes and looks up again on every access (12 per task).
   */
  private rowKeys(prefix: string): string[] {
    let keys = this.keysByPrefix.get(prefix);
    if (!keys) {
      keys = this.hydrators.map(([databaseName]) => prefix + databaseName);
      this.keysByPrefix.set(prefix, keys);
    }
    return keys;
  }
}
