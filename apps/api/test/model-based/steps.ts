import fc from 'fast-check';
import { ApiResponse, ISO_UTC, TestApi } from '../../../../tools/testing/test-api';
import { Model, TaskRow } from './model';
import { NEGATIVE_ZERO } from './values';

/** The system under test: the real API over HTTP (responses checked against /docs-json). */
export interface Real {
  request: TestApi['request'];
  /** Responses counted by `METHOD route status`: what the sequences reached. */
  seen: Map<string, number>;
}

export interface Sent extends ApiResponse {
  /** `METHOD path body -> status`, for failure messages. */
  label: string;
  /** Date.now() just before the request and just after its response. */
  before: number;
  after: number;
}

const clip = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}…` : text);

export function count(real: Real, what: string): void {
  real.seen.set(what, (real.seen.get(what) ?? 0) + 1);
}

export async function send(
  real: Real,
  method: string,
  path: string,
  body?: unknown,
): Promise<Sent> {
  let wire = body === undefined ? undefined : JSON.stringify(body);
  if (wire?.includes(JSON.stringify(NEGATIVE_ZERO))) {
    wire = wire.replaceAll(JSON.stringify(NEGATIVE_ZERO), '-0.0');
  }
  const before = Date.now();
  const response = await real.request(method, path, wire);
  const after = Date.now();
  count(real, `${method} ${path.replace(/\/\d+/g, '/:id').replace(/\?.*/, '')} ${response.status}`);
  if (wire?.includes('-0.0')) count(real, `  with -0.0 ${response.status}`);
  const label = `${method} ${path}${wire === undefined ? '' : ` ${clip(wire)}`} -> ${response.status}`;
  return { ...response, label, before, after };
}

/**
 * Waits until the clock is past `updatedAt` (at most a few ms), so that a write that should not
 * have happened shows as a later updatedAt rather than one in the same millisecond.
 */
export async function clockPast(updatedAt: string | undefined): Promise<void> {
  if (updatedAt === undefined) return;
  while (Date.now() <= Date.parse(updatedAt)) await new Promise((done) => setTimeout(done, 1));
}

/** Fails with the request in the message when `actual` is not `expected` (structurally). */
export function same(label: string, actual: unknown, expected: unknown): void {
  expect({ at: label, actual }).toEqual({ at: label, actual: expected });
}

/** The status `expected`; the body is shown only when the status is another. */
export function status(res: Sent, expected: number): void {
  const seen = (code: number) => ({ status: code, body: code === expected ? '…' : res.body });
  same(res.label, seen(res.status), seen(expected));
}

/** A problem+json error naming `field` (and containing each of `inMessage`). */
export function problem(res: Sent, code: number, field?: string, inMessage: string[] = []): void {
  status(res, code);
  if (field === undefined) return;
  const errors = (res.body.errors ?? []) as { field: string; message: string }[];
  same(`${res.label}: error fields`, [...new Set(errors.map((e) => e.field))], [field]);
  for (const part of inMessage) {
    same(`${res.label}: error names ${part}`, errors[0].message.includes(part), true);
  }
}

/** A write's new updatedAt: an ISO UTC instant taken while the request ran. */
export function fresh(res: Sent, value: string): void {
  const time = Date.parse(value);
  same(
    `${res.label}: updatedAt ${value} within the request`,
    ISO_UTC.test(value) && time >= res.before && time <= res.after,
    true,
  );
}

/**
 * Compares a task body with the model's, structurally; then the metadata's key order, which
 * README.md documents per dialect (kept on SQLite, jsonb's on PostgreSQL).
 */
export function sameTask(label: string, model: Model, actual: any, task: TaskRow): void {
  const expected = model.taskJson(task);
  same(label, actual, expected);
  same(
    `${label}: metadata key order`,
    JSON.stringify(actual.metadata),
    JSON.stringify(expected.metadata),
  );
}

/** The task pages' items compared one by one too, for their metadata's key order. */
export function samePage(label: string, actual: any, expected: any): void {
  same(label, actual, expected);
  expected.items.forEach((item: any, i: number) => {
    if (item.metadata !== undefined) {
      same(
        `${label}: items[${i}].metadata key order`,
        JSON.stringify(actual.items[i].metadata),
        JSON.stringify(item.metadata),
      );
    }
  });
}

/** Which row a step acts on: the `n`-th live one, or (`live` false, or none live) a gone id. */
export interface Target {
  live: boolean;
  n: number;
}

export const target: fc.Arbitrary<Target> = fc.record({
  live: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false)),
  n: fc.nat(1000),
});

/** A deleted id, or the largest id (never handed out here) when none was deleted yet. */
export const ghostId = (gone: number[], n: number) =>
  gone.length > 0 ? gone[n % gone.length] : 2_147_483_647;

export function pick<T>(rows: Map<number, T>, { live, n }: Target): T | undefined {
  const all = [...rows.values()];
  return live && all.length > 0 ? all[n % all.length] : undefined;
}

export const showTarget = ({ live, n }: Target) => (live ? `#${n}` : `gone#${n}`);

/** Every step applies in any state: it picks its rows when it runs. */
export abstract class Step implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  abstract run(model: Model, real: Real): Promise<void>;
  abstract toString(): string;
}
