import { isDeepStrictEqual } from 'node:util';
import type { Dialect } from '../../../../tools/testing/test-api';

/**
 * The in-memory model of the API's data that the model-based test drives the real API against:
 * what README.md's "REST API" section promises, written independently of the implementation.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The case-insensitive key of names, searches and tag filters: NFKC, then lower case. */
export const foldKey = (text: string): string => text.normalize('NFKC').toLowerCase();

/** Code point order (UTF-8 byte order): `sort=title` on both dialects, jsonb's key tie-break. */
export const byCodePoint = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** jsonb's key order, at every depth: shorter keys (in bytes) first, then by bytes. */
export function jsonbOrdered(value: Json): Json {
  if (Array.isArray(value)) return value.map(jsonbOrdered);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort(
    (a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || byCodePoint(a, b),
  );
  return Object.fromEntries(keys.map((key) => [key, jsonbOrdered(value[key])]));
}

export interface ProjectRow {
  id: number;
  name: string;
  description: string | null;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TagRow {
  id: number;
  name: string;
  color: string | null;
}

export const STATUSES = ['todo', 'in_progress', 'done'] as const;

export interface TaskRow {
  id: number;
  projectId: number;
  title: string;
  notes: string | null;
  status: (typeof STATUSES)[number];
  priority: number;
  /** Epoch milliseconds. */
  dueAt: number | null;
  estimateHours: number | null;
  /** As last written (a write of an equal value, in another key order, is no write). */
  metadata: JsonObject | null;
  tagIds: Set<number>;
  createdAt: string;
  updatedAt: string;
}

/** Query parameters of `GET /api/tasks` (and `/api/projects/:id/tasks`, without projectId). */
export interface TaskQuery {
  projectId?: number;
  status?: string;
  tag?: string;
  q?: string;
  dueAfter?: string;
  dueBefore?: string;
  sort?: string;
  limit?: number;
  offset?: number;
}

export interface PageQuery {
  q?: string;
  limit?: number;
  offset?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Values as JSON carries them: `-0` is `0`, as every JSON client reads it. */
export const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const page = <T>(rows: T[], { limit = 20, offset = 0 }: PageQuery): Page<T> => ({
  items: rows.slice(offset, offset + limit),
  total: rows.length,
  limit,
  offset,
});

/** What `q` searches: the folded text, the Greek final sigma ς read as σ (README: "Lists"). */
const searchFold = (text: string) => foldKey(text).replaceAll('ς', 'σ');
const matches = (text: string, q: string | undefined) =>
  !q || searchFold(text).includes(searchFold(q));

export class Model {
  readonly projects = new Map<number, ProjectRow>();
  readonly tags = new Map<number, TagRow>();
  readonly tasks = new Map<number, TaskRow>();
  /** Ids that existed and were deleted (cascades included): reads of them are 404s. */
  readonly gone = { projects: [] as number[], tags: [] as number[], tasks: [] as number[] };

  constructor(readonly dialect: Dialect) {}

  /** Whether another project (than `exceptId`) has this name, case-insensitively. */
  projectNameTaken(name: string, exceptId?: number): boolean {
    const key = foldKey(name);
    return [...this.projects.values()].some((p) => p.id !== exceptId && foldKey(p.name) === key);
  }

  tagNameTaken(name: string, exceptId?: number): boolean {
    const key = foldKey(name);
    return [...this.tags.values()].some((t) => t.id !== exceptId && foldKey(t.name) === key);
  }

  /** The ids of the tags named `names` (case-insensitively), or the names no tag has. */
  resolveTags(names: string[]): { ids: Set<number> } | { unknown: string[] } {
    const byKey = new Map([...this.tags.values()].map((tag) => [foldKey(tag.name), tag.id]));
    const unknown = names.filter((name) => !byKey.has(foldKey(name)));
    if (unknown.length > 0) return { unknown };
    return { ids: new Set(names.map((name) => byKey.get(foldKey(name))!)) };
  }

  deleteProject(id: number): void {
    this.projects.delete(id);
    this.gone.projects.push(id);
    for (const task of [...this.tasks.values()]) {
      if (task.projectId === id) this.deleteTask(task.id);
    }
  }

  deleteTask(id: number): void {
    this.tasks.delete(id);
    this.gone.tasks.push(id);
  }

  /** Deleting a tag removes it from every task; their updatedAt stays (no task row changes). */
  deleteTag(id: number): void {
    this.tags.delete(id);
    this.gone.tags.push(id);
    for (const task of this.tasks.values()) task.tagIds.delete(id);
  }

  projectJson(p: ProjectRow) {
    return { ...p };
  }

  tagJson(t: TagRow) {
    return { ...t };
  }

  /** The task as the API returns it; metadata in the dialect's documented key order. */
  taskJson(t: TaskRow) {
    const metadata =
      t.metadata && this.dialect === 'postgres' ? jsonbOrdered(t.metadata) : t.metadata;
    return {
      id: t.id,
      projectId: t.projectId,
      title: t.title,
      notes: t.notes,
      status: t.status,
      priority: t.priority,
      dueAt: t.dueAt === null ? null : new Date(t.dueAt).toISOString(),
      estimateHours: t.estimateHours,
      metadata,
      tags: [...t.tagIds].map((id) => this.tags.get(id)!.name).sort(),
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  }

  projectPage(query: PageQuery) {
    const rows = [...this.projects.values()]
      .filter((p) => matches(p.name, query.q))
      .sort((a, b) => a.id - b.id);
    return page(
      rows.map((p) => this.projectJson(p)),
      query,
    );
  }

  tagPage(query: PageQuery) {
    const rows = [...this.tags.values()]
      .filter((t) => matches(t.name, query.q))
      .sort((a, b) => a.id - b.id);
    return page(
      rows.map((t) => this.tagJson(t)),
      query,
    );
  }

  /** `scope`: the project of `/api/projects/:id/tasks`. */
  taskPage(query: TaskQuery, scope?: number) {
    const projectId = scope ?? query.projectId;
    const tagKey = query.tag === undefined ? undefined : foldKey(query.tag);
    const after = query.dueAfter === undefined ? undefined : Date.parse(query.dueAfter);
    const before = query.dueBefore === undefined ? undefined : Date.parse(query.dueBefore);
    const rows = [...this.tasks.values()].filter(
      (t) =>
        (projectId === undefined || t.projectId === projectId) &&
        (query.status === undefined || t.status === query.status) &&
        (tagKey === undefined ||
          [...t.tagIds].some((id) => foldKey(this.tags.get(id)!.name) === tagKey)) &&
        matches(`${t.title}\n${t.notes ?? ''}`, query.q) &&
        (after === undefined || (t.dueAt !== null && t.dueAt >= after)) &&
        (before === undefined || (t.dueAt !== null && t.dueAt < before)),
    );
    rows.sort(taskOrder(query.sort ?? 'createdAt'));
    return page(
      rows.map((t) => this.taskJson(t)),
      query,
    );
  }
}

/** `sort`: ties by id in the same direction; tasks without dueAt last in both directions. */
function taskOrder(sort: string): (a: TaskRow, b: TaskRow) => number {
  const direction = sort.startsWith('-') ? -1 : 1;
  const field = sort.replace(/^-/, '');
  const primary: Record<string, (a: TaskRow, b: TaskRow) => number> = {
    createdAt: (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt),
    priority: (a, b) => a.priority - b.priority,
    title: (a, b) => byCodePoint(a.title, b.title),
    dueAt: (a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0),
  };
  return (a, b) => {
    if (field === 'dueAt' && (a.dueAt === null) !== (b.dueAt === null)) {
      return a.dueAt === null ? 1 : -1;
    }
    return direction * (primary[field](a, b) || a.id - b.id);
  };
}

/** Whether writing `value` over `stored` changes a stored value (instants by time, JSON by value). */
export function differs(stored: unknown, value: unknown): boolean {
  return !isDeepStrictEqual(asJson(stored), asJson(value));
}
