import fc from 'fast-check';
import { differs, Model, ProjectRow, TagRow } from './model';
import {
  clockPast,
  count,
  fresh,
  ghostId,
  pick,
  problem,
  Real,
  same,
  send,
  showTarget,
  status,
  Step,
  Target,
  target,
} from './steps';
import { color, NameSpec, nameOf, nameSpec, text } from './values';

/** A PATCH field: a new value, or (`same`) the value the row holds when the step runs. */
type FieldValue<T> = { value: T } | { same: true };

const fieldValue = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<FieldValue<T>> =>
  fc.oneof(
    { weight: 3, arbitrary: arbitrary.map((value) => ({ value })) },
    { weight: 1, arbitrary: fc.constant({ same: true as const }) },
  );

/** What `same` writes when the row does not exist (the answer is a 404 whatever it is). */
const GHOST: Record<string, unknown> = {
  name: 'ghost',
  description: null,
  archived: false,
  color: null,
};

/** The PATCH body: `name` given as a NameSpec, resolved among `rows` (max `max` code points). */
function body<R extends { name: string }>(
  fields: Record<string, FieldValue<unknown>>,
  row: R | undefined,
  rows: Map<number, R>,
  max: number,
) {
  return Object.fromEntries(
    Object.entries(fields).map(([key, field]) => {
      if (!('value' in field)) return [key, row ? row[key as keyof R] : GHOST[key]];
      if (key !== 'name') return [key, field.value];
      return [key, nameOf(field.value as NameSpec, [...rows.values()], max)];
    }),
  );
}

const description = fc.oneof(fc.constant(null), text(0, 12));

class CreateProject extends Step {
  constructor(
    readonly fields: { name: NameSpec; description?: string | null; archived?: boolean },
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const fields = {
      ...this.fields,
      name: nameOf(this.fields.name, [...model.projects.values()], 120),
    };
    const res = await send(real, 'POST', '/api/projects', fields);
    if (model.projectNameTaken(fields.name)) return problem(res, 409, 'name');
    status(res, 201);
    const row: ProjectRow = {
      description: null,
      archived: false,
      ...fields,
      id: res.body.id,
      createdAt: res.body.createdAt,
      updatedAt: res.body.createdAt,
    };
    fresh(res, row.updatedAt);
    same(res.label, res.body, model.projectJson(row));
    same(`${res.label}: Location`, res.headers.get('location'), `/api/projects/${row.id}`);
    model.projects.set(row.id, row);
  }
  toString() {
    return `CreateProject(${JSON.stringify(this.fields)})`;
  }
}

class PatchProject extends Step {
  constructor(
    readonly target: Target,
    readonly fields: Record<string, FieldValue<unknown>>,
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const row = pick(model.projects, this.target);
    const id = row?.id ?? ghostId(model.gone.projects, this.target.n);
    const patch = body(this.fields, row, model.projects, 120);
    await clockPast(row?.updatedAt);
    const res = await send(real, 'PATCH', `/api/projects/${id}`, patch);
    if (!row) return status(res, 404);
    if (typeof patch.name === 'string' && model.projectNameTaken(patch.name, id)) {
      problem(res, 409, 'name');
    } else {
      status(res, 200);
      const changed = Object.entries(patch).some(([k, v]) =>
        differs(row[k as keyof ProjectRow], v),
      );
      Object.assign(row, patch);
      if (changed) fresh(res, res.body.updatedAt);
      if (changed) row.updatedAt = res.body.updatedAt;
      count(real, `  PATCH project: ${changed ? 'a change' : 'no change'}`);
      same(
        `${res.label} (${changed ? 'a change' : 'no change'})`,
        res.body,
        model.projectJson(row),
      );
    }
    const read = await send(real, 'GET', `/api/projects/${id}`);
    same(read.label, read.body, model.projectJson(row));
  }
  toString() {
    return `PatchProject(${showTarget(this.target)}, ${JSON.stringify(this.fields)})`;
  }
}

class DeleteProject extends Step {
  constructor(readonly target: Target) {
    super();
  }
  async run(model: Model, real: Real) {
    const row = pick(model.projects, this.target);
    const id = row?.id ?? ghostId(model.gone.projects, this.target.n);
    const res = await send(real, 'DELETE', `/api/projects/${id}`);
    status(res, row ? 204 : 404);
    if (row) model.deleteProject(id);
    status(await send(real, 'GET', `/api/projects/${id}`), 404);
  }
  toString() {
    return `DeleteProject(${showTarget(this.target)})`;
  }
}

class CreateTag extends Step {
  constructor(readonly fields: { name: NameSpec; color?: string | null }) {
    super();
  }
  async run(model: Model, real: Real) {
    const fields = { ...this.fields, name: nameOf(this.fields.name, [...model.tags.values()], 40) };
    const res = await send(real, 'POST', '/api/tags', fields);
    if (model.tagNameTaken(fields.name)) return problem(res, 409, 'name');
    status(res, 201);
    const row: TagRow = { color: null, ...fields, id: res.body.id };
    same(res.label, res.body, model.tagJson(row));
    same(`${res.label}: Location`, res.headers.get('location'), `/api/tags/${row.id}`);
    model.tags.set(row.id, row);
  }
  toString() {
    return `CreateTag(${JSON.stringify(this.fields)})`;
  }
}

class PatchTag extends Step {
  constructor(
    readonly target: Target,
    readonly fields: Record<string, FieldValue<unknown>>,
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const row = pick(model.tags, this.target);
    const id = row?.id ?? ghostId(model.gone.tags, this.target.n);
    const patch = body(this.fields, row, model.tags, 40);
    const res = await send(real, 'PATCH', `/api/tags/${id}`, patch);
    if (!row) return status(res, 404);
    if (typeof patch.name === 'string' && model.tagNameTaken(patch.name, id)) {
      problem(res, 409, 'name');
    } else {
      status(res, 200);
      Object.assign(row, patch);
      same(res.label, res.body, model.tagJson(row));
    }
    const read = await send(real, 'GET', `/api/tags/${id}`);
    same(read.label, read.body, model.tagJson(row));
  }
  toString() {
    return `PatchTag(${showTarget(this.target)}, ${JSON.stringify(this.fields)})`;
  }
}

class DeleteTag extends Step {
  constructor(readonly target: Target) {
    super();
  }
  async run(model: Model, real: Real) {
    const row = pick(model.tags, this.target);
    const id = row?.id ?? ghostId(model.gone.tags, this.target.n);
    status(await send(real, 'DELETE', `/api/tags/${id}`), row ? 204 : 404);
    if (row) model.deleteTag(id);
    status(await send(real, 'GET', `/api/tags/${id}`), 404);
  }
  toString() {
    return `DeleteTag(${showTarget(this.target)})`;
  }
}

const projectPatch = fc.record(
  {
    name: fieldValue(nameSpec(120)),
    description: fieldValue(description),
    archived: fieldValue(fc.boolean()),
  },
  { requiredKeys: [] },
);
const tagPatch = fc.record(
  { name: fieldValue(nameSpec(40)), color: fieldValue(color) },
  { requiredKeys: [] },
);

export const projectAndTagSteps: fc.Arbitrary<Step>[] = [
  fc
    .record(
      { name: nameSpec(120), description, archived: fc.boolean() },
      { requiredKeys: ['name'] },
    )
    .map((fields) => new CreateProject(fields)),
  fc.tuple(target, projectPatch).map(([t, fields]) => new PatchProject(t, fields)),
  target.map((t) => new DeleteProject(t)),
  fc
    .record({ name: nameSpec(40), color }, { requiredKeys: ['name'] })
    .map((fields) => new CreateTag(fields)),
  fc.tuple(target, tagPatch).map(([t, fields]) => new PatchTag(t, fields)),
  target.map((t) => new DeleteTag(t)),
];

/** Where every sequence starts: two projects and three tags, so that tasks can be made at once. */
export const FIXTURE: Step[] = [
  new CreateProject({ name: { name: 'Home' } }),
  new CreateProject({ name: { name: 'Work' }, description: 'day job', archived: true }),
  new CreateTag({ name: { name: 'urgent' }, color: '#ff0000' }),
  new CreateTag({ name: { name: 'Garden' } }),
  new CreateTag({ name: { name: 'Ärger' }, color: null }),
];
