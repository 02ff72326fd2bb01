import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
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

/** DTO fields as entity columns: `dueAt` becomes a Date, `tags` are handled separately. */
function columns({ tags: _tags, dueAt, ...rest }: UpdateTaskDto): Partial<Task> {
  return {
    ...rest,
    ...(dueAt !== undefined && { dueAt: dueAt === null ? null : new Date(dueAt) }),
  };
}

@Injectable()
export class TasksService {
  private readonly rowLock = new KeyedLock();

  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly projects: ProjectsService,
    private readonly tags: TagsService,
  ) {}

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
      tags,
    });
    const { id } = await this.tasks.save(task);
    return this.get(id);
  }

  async list(query: ListTasksQuery): Promise<Page<TaskWithTags>> {
    const { limit, offset } = query;
    const builder = this.tasks.createQueryBuilder('t').take(limit).skip(offset);
    this.applyFilters(builder, query);
    for (const [expression, direction] of orderByFor(query.sort)) {
      builder.addOrderBy(expression, direction);
    }
    const [tasks, total] = await builder.getManyAndCount();
    const names = await this.tagNames(tasks.map((task) => task.id));
    const items = tasks.map((task) => ({ task, tags: names.get(task.id) ?? [] }));
    return { items, total, limit, offset };
  }

  async listForProject(projectId: number, query: ListTasksQuery): Promise<Page<TaskWithTags>> {
    await this.projects.get(projectId);
    return this.list({ ...query, projectId });
  }

  async get(id: number): Promise<TaskWithTags> {
    const task = await this.tasks.findOne({ where: { id }, relations: { tags: true } });
    if (!task) throw new NotFoundException(`Task ${id} does not exist`);
    return { task, tags: (task.tags ?? []).map((tag) => tag.name) };
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

  /** The tag names of many tasks in one query (no query per task). */
  private async tagNames(taskIds: number[]): Promise<Map<number, string[]>> {
    const names = new Map<number, string[]>();
    if (taskIds.length === 0) return names;
    const rows = await this.tasks
      .createQueryBuilder('t')
      .innerJoin('t.tags', 'g')
      .select('t.id', 'taskId')
      .addSelect('g.name', 'name')
      .where('t.id IN (:...taskIds)', { taskIds })
      .getRawMany<{ taskId: number | string; name: string }>();
    for (const { taskId, name } of rows) {
      const id = Number(taskId);
      names.set(id, [...(names.get(id) ?? []), name]);
    }
    return names;
  }

  private async assertProjectExists(projectId: number): Promise<void> {
    if (await this.projects.exists(projectId)) return;
    const message = `project ${projectId} does not exist`;
    throw new ValidationProblem([{ field: 'projectId', message }]);
  }
}
