import fc from 'fast-check';
import { asJson, differs, Model, STATUSES, TaskRow } from './model';
import {
  clockPast,
  count,
  fresh,
  ghostId,
  pick,
  problem,
  Real,
  same,
  sameTask,
  send,
  Sent,
  showTarget,
  status,
  Step,
  Target,
  target,
} from './steps';
import {
  dueAt,
  estimateHours,
  fromWire,
  metadata,
  NAME_POOL,
  NEGATIVE_ZERO,
  negativeZeros,
  notes,
  reversedKeys,
  spell,
  Spelling,
  spelling,
  title,
  writeInstant,
} from './values';

/** A tag named by the `n`-th live tag's name, respelled; or a name from the pool (may be unknown). */
export type TagRef = { n: number; spelling: Spelling } | { name: string };

export const tagRef: fc.Arbitrary<TagRef> = fc.oneof(
  { weight: 9, arbitrary: fc.record({ n: fc.nat(1000), spelling }) },
  { weight: 1, arbitrary: fc.record({ name: fc.constantFrom(...NAME_POOL, 'nope') }) },
);

export function tagName(model: Model, ref: TagRef): string {
  if ('name' in ref) return ref.name;
  const all = [...model.tags.values()];
  return all.length > 0 ? spell(all[ref.n % all.length].name, ref.spelling) : 'nope';
}

/**
 * A task field in a PATCH: a new value, or the value the task holds (`same`) written another
 * way: dueAt in another offset, metadata with its keys reversed, tag names respelled and reversed.
 */
type Field =
  | { value: unknown }
  | { same: true; offset: string; digits: 3 | 9; spelling: Spelling; negativeZero: boolean }
  | { project: Target }
  | { tags: TagRef[] };

const sameField = fc.record({
  same: fc.constant(true as const),
  offset: fc.constantFrom('Z', '-00:00', '+05:45', '-12:00'),
  digits: fc.constantFrom<3 | 9>(3, 9),
  spelling,
  negativeZero: fc.boolean(),
});
const field = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Field> =>
  fc.oneof({ weight: 3, arbitrary: value.map((v) => ({ value: v })) }, sameField);

const taskFields = {
  title: field(title),
  notes: field(notes),
  status: field(fc.constantFrom(...STATUSES)),
  priority: field(fc.integer({ min: 1, max: 5 })),
  dueAt: field(dueAt),
  estimateHours: field(estimateHours),
  metadata: field(metadata),
  projectId: fc.oneof(
    target.map((t): Field => ({ project: t })),
    sameField,
  ),
  tags: fc.oneof(
    fc.array(tagRef, { maxLength: 4 }).map((t): Field => ({ tags: t })),
    sameField,
  ),
};

/** Bodies the validation refuses (400), whatever the task's state. */
const INVALID: [string, unknown][] = [
  ['title', null],
  ['title', ''],
  ['priority', null],
  ['priority', 0],
  ['status', null],
  ['dueAt', '2030-01-15T10:00:00'],
  ['estimateHours', 1.234],
  ['metadata', [1]],
  ['tags', 'urgent'],
  ['owner', 'me'],
];

/** What `same` writes when the task does not exist (the answer is a 404 whatever it is). */
const GHOST: Partial<Record<string, unknown>> = {
  title: 'ghost',
  status: 'todo',
  priority: 3,
  projectId: 1,
  tags: [],
};

/** The request body for `fields`, `row` being the task's current state (when there is one). */
function taskBody(model: Model, fields: Record<string, Field>, row?: TaskRow) {
  const body: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(fields)) {
    if ('value' in f) body[key] = f.value;
    else if ('project' in f) {
      const project = pick(model.projects, f.project);
      body[key] = project?.id ?? ghostId(model.gone.projects, f.project.n);
    } else if ('tags' in f) body[key] = f.tags.map((ref) => tagName(model, ref));
    else body[key] = row ? sameValue(model, key, f, row) : (GHOST[key] ?? null);
  }
  return body;
}

/** The task's current value of `key`, written as `how` says. */
function sameValue(model: Model, key: string, how: Extract<Field, { same: true }>, row: TaskRow) {
  switch (key) {
    case 'dueAt':
      return row.dueAt === null ? null : writeInstant(row.dueAt, how.offset, how.digits);
    case 'metadata': {
      const reversed = row.metadata && reversedKeys(row.metadata);
      return how.negativeZero ? negativeZeros(reversed) : reversed;
    }
    case 'estimateHours':
      return how.negativeZero && row.estimateHours === 0 ? NEGATIVE_ZERO : row.estimateHours;
    case 'tags':
      return [...row.tagIds].reverse().map((id) => spell(model.tags.get(id)!.name, how.spelling));
    default:
      return row[key as keyof TaskRow];
  }
}

const instantOf = (text: unknown) => (text === null ? null : Date.parse(text as string));

/**
 * What the API must answer to a task body: the 400 it refuses it with (project, then tags), or
 * the columns and tags to store (a missing key keeps its value).
 */
function interpret(model: Model, wire: Record<string, unknown>) {
  const body = fromWire(wire) as Record<string, unknown>;
  const projectId = body.projectId as number | undefined;
  if (projectId !== undefined && !model.projects.has(projectId)) {
    return { field: 'projectId', names: [`project ${projectId} does not exist`] };
  }
  const resolved = body.tags === undefined ? undefined : model.resolveTags(body.tags as string[]);
  if (resolved && 'unknown' in resolved) {
    return { field: 'tags', names: resolved.unknown.map((n) => JSON.stringify(n)) };
  }
  const columns = without(body, 'tags');
  if ('dueAt' in columns) columns.dueAt = instantOf(columns.dueAt);
  return { columns: columns as Partial<TaskRow>, tagIds: resolved?.ids };
}

class CreateTask extends Step {
  constructor(
    readonly project: Target,
    readonly fields: Record<string, Field>,
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const body = taskBody(model, { ...this.fields, projectId: { project: this.project } });
    const res = await send(real, 'POST', '/api/tasks', body);
    const outcome = interpret(model, body);
    if ('field' in outcome) return problem(res, 400, outcome.field, outcome.names);
    status(res, 201);
    const row: TaskRow = {
      notes: null,
      status: 'todo',
      priority: 3,
      dueAt: null,
      estimateHours: null,
      metadata: null,
      ...asJson(outcome.columns),
      tagIds: outcome.tagIds ?? new Set(),
      id: res.body.id,
      createdAt: res.body.createdAt,
      updatedAt: res.body.createdAt,
    } as TaskRow;
    fresh(res, row.updatedAt);
    sameTask(res.label, model, res.body, row);
    same(`${res.label}: Location`, res.headers.get('location'), `/api/tasks/${row.id}`);
    model.tasks.set(row.id, row);
    await readBack(model, real, row.id);
  }
  toString() {
    return `CreateTask(${showTarget(this.project)}, ${JSON.stringify(this.fields)})`;
  }
}

/** GET by id after a write: the stored task, read the way a later request reads it. */
async function readBack(model: Model, real: Real, id: number) {
  const read = await send(real, 'GET', `/api/tasks/${id}`);
  const row = model.tasks.get(id);
  if (!row) return status(read, 404);
  status(read, 200);
  sameTask(read.label, model, read.body, row);
}

/** Applies an accepted PATCH/PUT body to `row`; true when a stored value changed. */
function apply(row: TaskRow, columns: Partial<TaskRow>, tagIds?: Set<number>): boolean {
  const changedKeys = Object.entries(columns).filter(([key, value]) =>
    differs(row[key as keyof TaskRow], value),
  );
  const tagsChanged =
    tagIds !== undefined &&
    (tagIds.size !== row.tagIds.size || [...tagIds].some((id) => !row.tagIds.has(id)));
  for (const [key, value] of changedKeys) Object.assign(row, { [key]: asJson(value) });
  if (tagsChanged) row.tagIds = tagIds;
  return changedKeys.length > 0 || tagsChanged;
}

/** PATCH /api/tasks/:id, or PUT /api/tasks/:id/tags when `put`. */
class UpdateTask extends Step {
  constructor(
    readonly put: boolean,
    readonly target: Target,
    readonly fields: Record<string, Field>,
    readonly invalid?: [string, unknown],
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const row = pick(model.tasks, this.target);
    const id = row?.id ?? ghostId(model.gone.tasks, this.target.n);
    const body = taskBody(model, this.fields, row);
    if (this.invalid) body[this.invalid[0]] = this.invalid[1];
    const path = this.put ? `/api/tasks/${id}/tags` : `/api/tasks/${id}`;
    await clockPast(row?.updatedAt);
    const res = await send(real, this.put ? 'PUT' : 'PATCH', path, body);
    if (this.invalid) problem(res, 400, this.invalid[0]);
    else if (!row) status(res, 404);
    else this.expectOutcome(model, real, res, row, body);
    await readBack(model, real, id);
  }
  private expectOutcome(
    model: Model,
    real: Real,
    res: Sent,
    row: TaskRow,
    body: Record<string, unknown>,
  ) {
    const outcome = interpret(model, body);
    if ('field' in outcome) return problem(res, 400, outcome.field, outcome.names);
    status(res, 200);
    const before = row.updatedAt;
    const changed = apply(row, outcome.columns, outcome.tagIds);
    if (changed) fresh(res, res.body.updatedAt);
    count(real, `  ${this.put ? 'PUT' : 'PATCH'} task: ${changed ? 'a change' : 'no change'}`);
    row.updatedAt = changed ? res.body.updatedAt : before;
    sameTask(`${res.label} (${changed ? 'a change' : 'no change'})`, model, res.body, row);
  }
  toString() {
    const invalid = this.invalid ? `, invalid ${JSON.stringify(this.invalid)}` : '';
    return `${this.put ? 'PutTags' : 'PatchTask'}(${showTarget(this.target)}, ${JSON.stringify(this.fields)}${invalid})`;
  }
}

/**
 * Two PATCHes of one task at once, changing different fields: neither loses the other's change
 * (README: concurrent PATCHes of one row never lose each other's changes).
 */
class ConcurrentPatches extends Step {
  constructor(
    readonly target: Target,
    readonly first: Record<string, Field>,
    readonly second: Record<string, Field>,
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const row = pick(model.tasks, this.target);
    const id = row?.id ?? ghostId(model.gone.tasks, this.target.n);
    const bodies = [taskBody(model, this.first, row), taskBody(model, this.second, row)];
    await clockPast(row?.updatedAt);
    const answers = await Promise.all(
      bodies.map((b) => send(real, 'PATCH', `/api/tasks/${id}`, b)),
    );
    answers.forEach((res) => status(res, row ? 200 : 404));
    if (row) {
      const changed = bodies
        .map((body) => interpret(model, body) as { columns: Partial<TaskRow> })
        .map(({ columns }) => apply(row, columns))
        .some(Boolean);
      const latest = Math.max(...answers.map((res) => Date.parse(res.body.updatedAt)));
      if (changed) row.updatedAt = new Date(latest).toISOString();
      const expected = model.taskJson(row);
      answers.forEach((res, i) => {
        for (const key of Object.keys(bodies[i])) {
          same(
            `${res.label}: its own ${key}`,
            res.body[key],
            expected[key as keyof typeof expected],
          );
        }
      });
    }
    await readBack(model, real, id);
  }
  toString() {
    return `ConcurrentPatches(${showTarget(this.target)}, ${JSON.stringify(this.first)}, ${JSON.stringify(this.second)})`;
  }
}

class DeleteTask extends Step {
  constructor(readonly target: Target) {
    super();
  }
  async run(model: Model, real: Real) {
    const row = pick(model.tasks, this.target);
    const id = row?.id ?? ghostId(model.gone.tasks, this.target.n);
    status(await send(real, 'DELETE', `/api/tasks/${id}`), row ? 204 : 404);
    if (row) model.deleteTask(id);
    await readBack(model, real, id);
  }
  toString() {
    return `DeleteTask(${showTarget(this.target)})`;
  }
}

/** `record` without the fields `keys`. */
function without<T>(record: Record<string, T>, ...keys: string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

/** Any subset of `fields`. */
const someOf = (fields: Record<string, fc.Arbitrary<Field>>) =>
  fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<Record<string, Field>>;

const patch = someOf(taskFields);
/** Columns only (no project, no tags): always accepted for a live task. */
const columnPatch = someOf(without(taskFields, 'projectId', 'tags'));
/** The values the task holds, written another way: no change (`{}` included). */
const rewrite = someOf(Object.fromEntries(Object.keys(taskFields).map((key) => [key, sameField])));
/** A new task's fields: new values only, a title always. */
const creation = fc
  .tuple(
    field(title).filter((f) => 'value' in f),
    someOf(
      Object.fromEntries(
        Object.entries(without(taskFields, 'projectId', 'title')).map(([key, arbitrary]) => [
          key,
          arbitrary.filter((f) => !('same' in f)),
        ]),
      ),
    ),
  )
  .map(([title, fields]) => ({ title, ...fields }));

export const taskSteps: fc.Arbitrary<Step>[] = [
  fc.tuple(target, creation).map(([t, fields]) => new CreateTask(t, fields)),
  fc.tuple(target, patch).map(([t, fields]) => new UpdateTask(false, t, fields)),
  fc.tuple(target, rewrite).map(([t, fields]) => new UpdateTask(false, t, fields)),
  fc
    .tuple(target, patch, fc.constantFrom(...INVALID))
    .map(([t, fields, invalid]) => new UpdateTask(false, t, fields, invalid)),
  fc
    .tuple(target, fc.record({ tags: taskFields.tags }))
    .map(([t, fields]) => new UpdateTask(true, t, fields)),
  target.map((t) => new DeleteTask(t)),
  fc.tuple(target, columnPatch, columnPatch).map(([t, first, second]) => {
    const others = Object.entries(second).filter(([key]) => !(key in first));
    return new ConcurrentPatches(t, first, Object.fromEntries(others));
  }),
];
