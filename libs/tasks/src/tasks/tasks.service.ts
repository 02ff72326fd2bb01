import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Database as SqliteDatabase, Statement as SqliteStatement } from 'better-sqlite3';
import { EntityManager, QueryFailedError, Repository, SelectQueryBuilder } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { ValidationProblem } from '@app/http';
import { ProjectsService } from '../projects/projects.service';
import { KeyedLock } from '../shared/keyed-lock';
import { Page } from '../shared/page';
import { containsPattern, searchKey } from '../shared/search-key';
import { TagsService } from '../tags/tags.service';
import { CreateTaskDto } from './dto/create-task.dto';
import { ListTasksQuery, SortField } from './dto/list-tasks.query';
import { UpdateTaskDto } from './dto/update-task.dto';
import { Task } from './task.entity';

/** A task with its tag names, as the API returns it. */
export interface TaskWithTags {
  task: Task;
  tags: string[];
}

type Direction = 'ASC' | 'DESC';

/**
 * `ORDER BY` terms for a whitelisted `sort` value: `-` means descending, ties are broken by id in
 * the same direction, and tasks without `dueAt` come last in both directions (an explicit CASE,
 * because SQLite sorts NULL first and PostgreSQL last).
 */
export function orderByFor(sort: string): [string, Direction][] {
  const direction: Direction = sort.startsWith('-') ? 'DESC' : 'ASC';
  const field = sort.replace(/^-/, '') as SortField;
  const terms: [string, Direction][] = [];
  if (field === 'dueAt') terms.push(['CASE WHEN t.dueAt IS NULL THEN 1 ELSE 0 END', 'ASC']);
  terms.push([`t.${field}`, direction], ['t.id', direction]);
  return terms;
}

/**
 * DTO fields as entity columns: `dueAt` becomes a Date, `tags` are handled separately, and fields
 * left out (undefined) are dropped so that they keep their default or current value.
 */
function columns({ tags: _tags, dueAt, ...rest }: UpdateTaskDto): Partial<Task> {
  const present = Object.entries(rest).filter(([, value]) => value !== undefined);
  return {
    ...(Object.fromEntries(present) as Partial<Task>),
    ...(dueAt !== undefined && { dueAt: dueAt === null ? null : new Date(dueAt) }),
  };
}

/**
 * The hot single-task reads as two plain, cached statements (the task's row, its tag names)
 * instead of `findOne({ relations })`, whose query building and joined-row hydration cost more
 * than the queries. Rows are hydrated by the driver's own `prepareHydratedValue` per column, so
 * values (dates, decimals, JSON) come out exactly as TypeORM would return them.
 */
class TaskReader {
  private readonly columns: ColumnMetadata[];
  private readonly byIdSql: string;
  private readonly tagsSql: string;
  private readonly insertColumns: ColumnMetadata[];
  private readonly insertSql: string;
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(private readonly repository: Repository<Task>) {
    const { driver } = repository.manager.connection;
    const q = (name: string) => driver.escape(name);
    const id = driver.createParameter('id', 0);
    this.columns = repository.metadata.columns.filter((column) => !column.isVirtual);
    const list = this.columns.map((column) => q(column.databaseName)).join(', ');
    this.byIdSql = `SELECT ${list} FROM ${q('tasks')} WHERE ${q('id')} = ${id}`;
    this.tagsSql =
      `SELECT g.${q('name')} AS ${q('name')} FROM ${q('task_tags')} tt ` +
      `INNER JOIN ${q('tags')} g ON g.${q('id')} = tt.${q('tagId')} WHERE tt.${q('taskId')} = ${id}`;
    this.insertColumns = this.columns.filter((column) => !column.isGenerated);
    const names = this.insertColumns.map((column) => q(column.databaseName)).join(', ');
    const values = this.insertColumns.map((column, i) =>
      driver.createParameter(column.propertyName, i),
    );
    this.insertSql =
      `INSERT INTO ${q('tasks')} (${names}) VALUES (${values.join(', ')}) ` + `RETURNING ${list}`;
  }

  /**
   * A read-only query. On better-sqlite3 the statement is prepared once and run directly (the
   * driver is synchronous: TypeORM's query runner would only add promise and event plumbing);
   * errors are wrapped in TypeORM's QueryFailedError as its runner does.
   */
  private read<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    const { driver } = this.repository.manager.connection;
    if (driver.options.type !== 'better-sqlite3')
      return this.repository.query<T[]>(sql, parameters);
    try {
      let statement = this.statements.get(sql);
      if (!statement) {
        const database = (driver as unknown as { databaseConnection: SqliteDatabase })
          .databaseConnection;
        statement = database.prepare(sql);
        this.statements.set(sql, statement);
      }
      return Promise.resolve(statement.all(...parameters) as T[]);
    } catch (error) {
      return Promise.reject(new QueryFailedError(sql, parameters, error as Error));
    }
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
   * re-read is needed.
   */
  async insert(task: Task, tagIds: number[]): Promise<Task> {
    const { connection } = this.repository.manager;
    const { driver } = connection;
    const { metadata } = this.repository;
    for (const listener of metadata.beforeInsertListeners) {
      if (listener.isAllowed(task)) listener.execute(task);
    }
    const parameters = this.insertColumns.map((column) =>
      driver.preparePersistentValue(column.getEntityValue(task), column),
    );
    const run = async (manager: EntityManager): Promise<Task> => {
      const [row] = await manager.query<Record<string, unknown>[]>(this.insertSql, parameters);
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

  async get(id: number): Promise<TaskWithTags | undefined> {
    const [rows, tags] = await Promise.all([
      this.read<Record<string, unknown>>(this.byIdSql, [id]),
      this.read<{ name: string }>(this.tagsSql, [id]),
    ]);
    if (rows.length === 0) return undefined;
    return { task: this.hydrate(rows[0]), tags: tags.map((tag) => tag.name) };
  }

  /** Raw rows to entities; `prefix` is the query builder's alias prefix (`t_`) when there is one. */
  hydrate(row: Record<string, unknown>, prefix = ''): Task {
    const { driver } = this.repository.manager.connection;
    const task = new Task() as unknown as Record<string, unknown>;
    for (const column of this.columns) {
      const value = row[prefix + column.databaseName];
      task[column.propertyName] = driver.prepareHydratedValue(value, column);
    }
    return task as unknown as Task;
  }
}

@Injectable()
export class TasksService {
  private readonly reader: TaskReader;
  private readonly rowLock = new KeyedLock();

  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly projects: ProjectsService,
    private readonly tags: TagsService,
  ) {
    this.reader = new TaskReader(tasks);
  }

  async create(dto: CreateTaskDto): Promise<TaskWithTags> {
    await this.assertProjectExists(dto.projectId);
    const tags = await this.tags.findByNames(dto.tags ?? []);
    const task = this.tasks.create({
      notes: null,
      status: 'todo',
      priority: 3,
      dueAt: null,
      estimateHours: null,
      metadata: null,
      ...columns(dto),
    });
    // A plain INSERT … RETURNING (not `save()`, which diffs the new entity and its relations
    // against the database and re-selects defaults first), and no re-read: the stored row comes
    // back from the INSERT, the tag names from the tags just looked up.
    const inserted = await this.reader.insert(
      task,
      tags.map((tag) => tag.id),
    );
    return { task: inserted, tags: tags.map((tag) => tag.name) };
  }

  async list(query: ListTasksQuery): Promise<Page<TaskWithTags>> {
    const { limit, offset } = query;
    const builder = this.tasks.createQueryBuilder('t');
    this.applyFilters(builder, query);
    // The page as raw rows hydrated column by column, and the count as a plain COUNT(*) (no
    // join: the tag filter is an EXISTS), instead of getManyAndCount's entity transformer and
    // COUNT(DISTINCT) query.
    const count = builder.clone().select('COUNT(*)', 'total');
    for (const [expression, direction] of orderByFor(query.sort)) {
      builder.addOrderBy(expression, direction);
    }
    const [rows, counted] = await Promise.all([
      builder.limit(limit).offset(offset).getRawMany<Record<string, unknown>>(),
      count.getRawOne<{ total: number | string }>(),
    ]);
    const tasks = rows.map((row) => this.reader.hydrate(row, 't_'));
    const names = await this.reader.tagNames(tasks.map((task) => task.id));
    const items = tasks.map((task) => ({ task, tags: names.get(task.id) ?? [] }));
    return { items, total: Number(counted?.total ?? 0), limit, offset };
  }

  async listForProject(projectId: number, query: ListTasksQuery): Promise<Page<TaskWithTags>> {
    await this.projects.get(projectId);
    return this.list({ ...query, projectId });
  }

  async get(id: number): Promise<TaskWithTags> {
    const found = await this.reader.get(id);
    if (!found) throw new NotFoundException(`Task ${id} does not exist`);
    return found;
  }

  update(id: number, dto: UpdateTaskDto): Promise<TaskWithTags> {
    return this.rowLock.run(id, () => this.updateNow(id, dto));
  }

  private async updateNow(id: number, dto: UpdateTaskDto): Promise<TaskWithTags> {
    const { task } = await this.get(id);
    if (dto.projectId !== undefined) await this.assertProjectExists(dto.projectId);
    if (dto.tags !== undefined) task.tags = await this.tags.findByNames(dto.tags);
    Object.assign(task, columns(dto), { updatedAt: new Date() });
    await this.tasks.save(task);
    return this.get(id);
  }

  /** Replaces the task's tags by the existing tags with these names. */
  replaceTags(id: number, names: string[]): Promise<TaskWithTags> {
    return this.update(id, { tags: names });
  }

  async remove(id: number): Promise<void> {
    const { affected } = await this.tasks.delete({ id });
    if (!affected) throw new NotFoundException(`Task ${id} does not exist`);
  }

  private applyFilters(builder: SelectQueryBuilder<Task>, query: ListTasksQuery): void {
    const { projectId, status, tag, q, dueBefore, dueAfter } = query;
    if (projectId !== undefined) builder.andWhere('t.projectId = :projectId', { projectId });
    if (status !== undefined) builder.andWhere('t.status = :status', { status });
    if (q) {
      builder.andWhere(`t.searchKey LIKE :pattern ESCAPE '\\'`, { pattern: containsPattern(q) });
    }
    if (dueBefore !== undefined) {
      builder.andWhere('t.dueAt < :dueBefore', { dueBefore: new Date(dueBefore) });
    }
    if (dueAfter !== undefined) {
      builder.andWhere('t.dueAt >= :dueAfter', { dueAfter: new Date(dueAfter) });
    }
    if (tag !== undefined) {
      const tagged = builder
        .subQuery()
        .select('1')
        .from('task_tags', 'tt')
        .innerJoin('tags', 'g', 'g.id = tt.tagId')
        .where('tt.taskId = t.id')
        .andWhere('g.nameKey = :tagKey')
        .getQuery();
      builder.andWhere(`EXISTS ${tagged}`, { tagKey: searchKey(tag) });
    }
  }

  private async assertProjectExists(projectId: number): Promise<void> {
    if (await this.projects.exists(projectId)) return;
    const message = `project ${projectId} does not exist`;
    throw new ValidationProblem([{ field: 'projectId', message }]);
  }
}
