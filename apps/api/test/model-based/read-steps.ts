import fc from 'fast-check';
import { Model, PageQuery, STATUSES, TaskQuery } from './model';
import {
  count,
  ghostId,
  pick,
  Real,
  same,
  samePage,
  sameTask,
  send,
  showTarget,
  status,
  Step,
  Target,
  target,
} from './steps';
import { tagName, TagRef, tagRef } from './task-steps';
import { instant, instantText, searchOf, SearchSpec, searchSpec } from './values';

const SORTS = ['createdAt', 'dueAt', 'priority', 'title'].flatMap((f) => [f, `-${f}`]);

/** Counts how many of the lists with a `q` found something. */
function countFound(real: Real, what: string, query: { q?: string }, found: number) {
  count(real, `  ${what}: ${query.q ? 'q, ' : ''}${found > 0 ? 'found some' : 'found none'}`);
}

/** Present one time in four: lists with every filter at once would mostly be empty. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, arbitrary);

const pageParameters = {
  limit: sometimes(fc.constantFrom(1, 2, 3, 5, 20, 100)),
  offset: sometimes(fc.nat(6)),
};

const queryString = (query: object) =>
  Object.entries(query)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(value as string | number)}`)
    .join('&');

type Kind = 'projects' | 'tags' | 'tasks';

class GetOne extends Step {
  constructor(
    readonly kind: Kind,
    readonly target: Target,
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const rows = model[this.kind] as Map<number, any>;
    const row = pick(rows, this.target);
    const id = row?.id ?? ghostId(model.gone[this.kind], this.target.n);
    const res = await send(real, 'GET', `/api/${this.kind}/${id}`);
    if (!row) return status(res, 404);
    status(res, 200);
    if (this.kind === 'tasks') sameTask(res.label, model, res.body, row);
    else
      same(res.label, res.body, this.kind === 'tags' ? model.tagJson(row) : model.projectJson(row));
  }
  toString() {
    return `Get${this.kind}(${showTarget(this.target)})`;
  }
}

interface TaskListSpec {
  /** `/api/projects/:id/tasks` instead of `/api/tasks?projectId=`. */
  scoped: boolean;
  project?: Target;
  tag?: TagRef;
  q?: SearchSpec;
  query: Omit<TaskQuery, 'projectId' | 'tag' | 'q'>;
}

class ListTasks extends Step {
  constructor(readonly spec: TaskListSpec) {
    super();
  }
  async run(model: Model, real: Real) {
    const { scoped, project, tag, q, query } = this.spec;
    const projectId =
      project && (pick(model.projects, project)?.id ?? ghostId(model.gone.projects, project.n));
    const texts = [...model.tasks.values()].map((t) => `${t.title}\n${t.notes ?? ''}`);
    const full: TaskQuery = {
      ...query,
      tag: tag && tagName(model, tag),
      q: q && searchOf(q, texts),
    };
    if (scoped && projectId !== undefined) {
      const res = await send(real, 'GET', `/api/projects/${projectId}/tasks?${queryString(full)}`);
      if (!model.projects.has(projectId)) return status(res, 404);
      status(res, 200);
      countFound(real, 'task list', full, res.body.total);
      return samePage(res.label, res.body, model.taskPage(full, projectId));
    }
    full.projectId = projectId;
    const res = await send(real, 'GET', `/api/tasks?${queryString(full)}`);
    status(res, 200);
    countFound(real, 'task list', full, res.body.total);
    samePage(res.label, res.body, model.taskPage(full));
  }
  toString() {
    return `ListTasks(${JSON.stringify(this.spec)})`;
  }
}

class ListNamed extends Step {
  constructor(
    readonly kind: 'projects' | 'tags',
    readonly spec: Omit<PageQuery, 'q'> & { q?: SearchSpec },
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const names = [...model[this.kind].values()].map((row) => row.name);
    const query = { ...this.spec, q: this.spec.q && searchOf(this.spec.q, names) };
    const res = await send(real, 'GET', `/api/${this.kind}?${queryString(query)}`);
    status(res, 200);
    countFound(real, `${this.kind} list`, query, res.body.total);
    const expected = this.kind === 'tags' ? model.tagPage(query) : model.projectPage(query);
    same(res.label, res.body, expected);
  }
  toString() {
    return `List${this.kind}(${JSON.stringify(this.spec)})`;
  }
}

const taskList: fc.Arbitrary<TaskListSpec> = fc.record({
  scoped: fc.boolean(),
  project: sometimes(target),
  tag: sometimes(tagRef),
  q: sometimes(searchSpec),
  query: fc.record({
    status: sometimes(fc.constantFrom(...STATUSES)),
    dueAfter: sometimes(instant.chain(instantText)),
    dueBefore: sometimes(instant.chain(instantText)),
    sort: fc.oneof(fc.constant(undefined), fc.constantFrom(...SORTS)),
    ...pageParameters,
  }),
});
const named = fc.record({ q: sometimes(searchSpec), ...pageParameters });

export const readSteps: fc.Arbitrary<Step>[] = [
  fc
    .tuple(fc.constantFrom<Kind>('projects', 'tags', 'tasks'), target)
    .map(([kind, t]) => new GetOne(kind, t)),
  taskList.map((spec) => new ListTasks(spec)),
  taskList.map((spec) => new ListTasks(spec)),
  taskList.map((spec) => new ListTasks(spec)),
  named.map((query) => new ListNamed('projects', query)),
  named.map((query) => new ListNamed('tags', query)),
];

/** Every row through the lists (all pages) and every task by id: the end of each run. */
export async function checkEverything(model: Model, real: Real): Promise<void> {
  for (const kind of ['projects', 'tags', 'tasks'] as const) {
    for (let offset = 0; ; offset += 100) {
      const res = await send(real, 'GET', `/api/${kind}?limit=100&offset=${offset}`);
      status(res, 200);
      const query = { limit: 100, offset };
      if (kind === 'tasks') samePage(res.label, res.body, model.taskPage(query));
      else
        same(
          res.label,
          res.body,
          kind === 'tags' ? model.tagPage(query) : model.projectPage(query),
        );
      if (offset + 100 >= res.body.total) break;
    }
  }
  for (const task of model.tasks.values()) {
    const res = await send(real, 'GET', `/api/tasks/${task.id}`);
    status(res, 200);
    sameTask(res.label, model, res.body, task);
  }
}
