import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isDeepStrictEqual } from 'node:util';
import { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { ValidationProblem } from '@app/http';
import { ProjectsService } from '../projects/projects.service';
import { Page } from '../shared/page';
import { RowLock } from '../shared/row-lock';
import { containsPattern, searchCondition, searchKey } from '../shared/search-key';
import { Tag } from '../tags/tag.entity';
import { TagsService } from '../tags/tags.service';
import { CreateTaskDto } from './dto/create-task.dto';
import { ListTasksQuery, SortField } from './dto/list-tasks.query';
import { UpdateTaskDto } from './dto/update-task.dto';
import { Task } from './task.entity';
import { TaskReader, TaskWithTags } from './task-reader';

type Direction = 'ASC' | 'DESC';

/**
 * `ORDER BY` terms for a whitelisted `sort` value: `-` means descending, ties are broken by id in
 * the same direction, and tasks without `dueAt` come last in both directions (an explicit CASE,
 * because SQLite sorts NULL first and PostgreSQL last). Titles sort by code point on both
 * dialects: SQLite compares bytes (BINARY), PostgreSQL the database's collation, which is a
 * language's (en_US.utf8 in the official image: "alpha" before "Bravo") unless told `"C"`.
 */
export function orderByFor(sort: string, dialect: 'sqlite' | 'postgres'): [string, Direction][] {
  const direction: Direction = sort.startsWith('-') ? 'DESC' : 'ASC';
  const field = sort.replace(/^-/, '') as SortField;
  const terms: [string, Direction][] = [];
  if (field === 'dueAt') terms.push(['CASE WHEN t.dueAt IS NULL THEN 1 ELSE 0 END', 'ASC']);
  const collate = field === 'title' && dialect === 'postgres' ? ' COLLATE "C"' : '';
  terms.push([`t.${field}${collate}`, direction], ['t.id', direction]);
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
 * `value` with every -0 made 0, at any depth: JSON has one zero, and both dialects store `-0.0`
 * (a JSON number some clients write, Python's json for one) as 0.
 */
function positiveZeros(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(positiveZeros);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, positiveZeros(v)]));
}

/** Whether any of `changes` differs from the task's value (instants by time, JSON by value). */
function changesColumns(task: Task, changes: Partial<Task>): boolean {
  return Object.entries(changes).some(([key, value]) => {
    const stored: unknown = task[key as keyof Task];
    if (value instanceof Date && stored instanceof Date)
      return value.getTime() !== stored.getTime();
    return !isDeepStrictEqual(positiveZeros(value), positiveZeros(stored));
  });
}

/** Whether `tags` (undefined: left as they are) is another set than the task's tag names. */
function changesTags(names: string[], tags: Tag[] | undefined): boolean {
  if (!tags) return false;
  const current = new Set(names);
  return tags.length !== current.size || tags.some((tag) => !current.has(tag.name));
}

/** The 400 for a task that names a project that does not exist. */
function unknownProject(projectId: number): ValidationProblem {
  return new ValidationProblem([
    { field: 'projectId', message: `project ${projectId} does not exist` },
  ]);
}

/**
 * The SQL of a list request, with named parameters (`:limit`, `:offset`, the filters'). On
 * PostgreSQL `page` is the whole answer in one statement (see `listSql`), and `count` unused.
 */
interface ListSql {
  page: string;
  count: string;
}

@Injectable()
export class TasksService {
  private readonly reader: TaskReader;
  private readonly rowLock: RowLock<Task>;
  private readonly dialect: 'sqlite' | 'postgres';
  private readonly listSqlByShape = new Map<string, ListSql>();
  private taggedSql?: string;

  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly projects: ProjectsService,
    private readonly tags: TagsService,
  ) {
    this.reader = new TaskReader(tasks);
    this.rowLock = new RowLock(tasks);
    this.dialect =
      tasks.manager.connection.driver.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  async create(dto: CreateTaskDto): Promise<TaskWithTags> {
    // The insert itself checks the project; with tags it is checked first, so that an unknown
    // project is the error reported before unknown tags, as it always was.
    if (dto.tags?.length) await this.assertProjectExists(dto.projectId);
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
    if (!inserted) throw unknownProject(dto.projectId);
    return { task: inserted, tags: tags.map((tag) => tag.name) };
  }

  async list(query: ListTasksQuery): Promise<Page<TaskWithTags>> {
    const { limit, offset } = query;
    const builder = this.tasks.createQueryBuilder('t');
    this.applyFilters(builder, query);
    const sql = this.listSql(builder, query.sort);
    const parameters = { ...builder.getParameters(), limit, offset };
    const { driver } = this.tasks.manager.connection;
    const run = <T>(text: string) =>
      this.reader.read<T>(...driver.escapeQueryWithParameters(text, parameters));
    if (this.dialect === 'postgres') {
      const rows = await run<Record<string, unknown>>(sql.page);
      const items = rows
        .filter((row) => row.t_id !== null)
        .map((row) => ({ task: this.reader.hydrate(row, 't_'), tags: row.tagNames as string[] }));
      return { items, total: Number(rows[0]?.total ?? 0), limit, offset };
    }
    const [rows, [counted]] = await Promise.all([
      run<Record<string, unknown>>(sql.page),
      run<{ total: number | string }>(sql.count),
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

  /** The task and its tag names, read through `manager` (a transaction's, when given). */
  async get(id: number, manager?: EntityManager): Promise<TaskWithTags> {
    const found = await this.reader.get(id, manager);
    if (!found) throw new NotFoundException(`Task ${id} does not exist`);
    return found;
  }

  update(id: number, dto: UpdateTaskDto): Promise<TaskWithTags> {
    return this.rowLock.run(id, (manager) => this.updateNow(manager, id, dto));
  }

  private async updateNow(
    manager: EntityManager,
    id: number,
    dto: UpdateTaskDto,
  ): Promise<TaskWithTags> {
    const current = await this.get(id, manager);
    const { task } = current;
    if (dto.projectId !== undefined) await this.assertProjectExists(dto.projectId, manager);
    const tags =
      dto.tags === undefined ? undefined : await this.tags.findByNames(dto.tags, manager);
    const changes = columns(dto);
    // Nothing to store: nothing is written, and updatedAt stays (as for projects, whose save of
    // an unchanged entity runs no UPDATE and so no BeforeUpdate; tags have no updatedAt).
    if (!changesColumns(task, changes) && !changesTags(current.tags, tags)) return current;
    if (tags) task.tags = tags;
    Object.assign(task, changes, { updatedAt: new Date() });
    await manager.save(task);
    return this.get(id, manager);
  }

  /** Replaces the task's tags by the existing tags with these names. */
  replaceTags(id: number, names: string[]): Promise<TaskWithTags> {
    return this.update(id, { tags: names });
  }

  async remove(id: number): Promise<void> {
    const { affected } = await this.tasks.delete({ id });
    if (!affected) throw new NotFoundException(`Task ${id} does not exist`);
  }

  /**
   * The page and count SQL for a filter shape (which filters are given, not their values) and a
   * sort, composed by the query builder once: composing it on every request cost about 50 µs
   * (BENCHMARKS.md). At most 8 sorts times 64 filter sets. The page comes as raw rows hydrated
   * column by column, the count as a plain COUNT(*) (no join: the tag filter is an EXISTS),
   * instead of getManyAndCount's entity transformer and COUNT(DISTINCT) query.
   *
   * On PostgreSQL the count, the page and each task's tag names are one statement, so that they
   * see one moment: as three (two of them on two pooled connections) they could each see
   * another, and a page could list a task deleted in between with no tags, or more tasks than
   * its total. The count is the one row joined to the page (a page past the end still has its
   * total); a join with no condition is a nested loop, which keeps the page's order.
   */
  private listSql(builder: SelectQueryBuilder<Task>, sort: string): ListSql {
    const shape = `${sort} ${Object.keys(builder.getParameters()).join()}`;
    let sql = this.listSqlByShape.get(shape);
    if (!sql) {
      const count = builder.clone().select('COUNT(*)', 'total').getQuery();
      const page = builder.clone();
      for (const [expression, direction] of orderByFor(sort, this.dialect)) {
        page.addOrderBy(expression, direction);
      }
      if (this.dialect === 'postgres') page.addSelect(this.reader.tagNamesSql('t'), 'tagNames');
      const pageSql = `${page.getQuery()} LIMIT :limit OFFSET :offset`;
      sql =
        this.dialect === 'postgres'
          ? {
              page: `SELECT c.*, p.* FROM (${count}) c LEFT JOIN LATERAL (${pageSql}) p ON true`,
              count,
            }
          : { page: pageSql, count };
      this.listSqlByShape.set(shape, sql);
    }
    return sql;
  }

  private applyFilters(builder: SelectQueryBuilder<Task>, query: ListTasksQuery): void {
    const { projectId, status, tag, q, dueBefore, dueAfter } = query;
    if (projectId !== undefined) builder.andWhere('t.projectId = :projectId', { projectId });
    if (status !== undefined) builder.andWhere('t.status = :status', { status });
    if (q) {
      builder.andWhere(searchCondition('t.searchKey'), { pattern: containsPattern(q) });
    }
    if (dueBefore !== undefined) {
      builder.andWhere('t.dueAt < :dueBefore', { dueBefore: new Date(dueBefore) });
    }
    if (dueAfter !== undefined) {
      builder.andWhere('t.dueAt >= :dueAfter', { dueAfter: new Date(dueAfter) });
    }
    if (tag !== undefined) {
      // The same text every time: composed on the first request with a tag filter only.
      this.taggedSql ??= builder
        .subQuery()
        .select('1')
        .from('task_tags', 'tt')
        .innerJoin('tags', 'g', 'g.id = tt.tagId')
        .where('tt.taskId = t.id')
        .andWhere('g.nameKey = :tagKey')
        .getQuery();
      builder.andWhere(`EXISTS ${this.taggedSql}`, { tagKey: searchKey(tag) });
    }
  }

  private async assertProjectExists(projectId: number, manager?: EntityManager): Promise<void> {
    if (!(await this.projects.exists(projectId, manager))) throw unknownProject(projectId);
  }
}
