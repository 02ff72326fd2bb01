import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/create-app';
import { createDatabase } from './create-database';
import { OpenApiContract } from './openapi-contract';

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

/** How every date in a response is written: ISO 8601, UTC, milliseconds. */
export const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let databaseCounter = 0;

/**
 * Environment for a fresh, empty database of `dialect` (a temp SQLite file or a new PG database).
 * PostgreSQL databases compare text in a language's order (ICU en-US), as the official image's
 * en_US.utf8 databases do, not in the byte order of a `C` test server.
 */
export async function freshDatabaseEnv(dialect: Dialect): Promise<Record<string, string>> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'api-e2e-'));
    return { DB_TYPE: 'sqlite', SQLITE_PATH: join(dir, 'app.sqlite') };
  }
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set: run the e2e tests through jest');
  const name = `e2e_${process.env.TEST_RUN_ID ?? 'manual'}_${process.pid}_${++databaseCounter}`;
  return {
    DB_TYPE: 'postgres',
    DATABASE_URL: await createDatabase(admin, name, { icuLocale: 'en-US' }),
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  /**
   * Check the response against the OpenAPI document (default true). Turn off only for requests
   * that are deliberately not API operations (health, /docs, unknown routes).
   */
  validate?: boolean;
}

export interface TestApi {
  app: NestFastifyApplication;
  baseUrl: string;
  /** The served OpenAPI document, compiled once; every `request()` is checked against it. */
  contract: OpenApiContract;
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** Boots the real API (Fastify, real database) on a free port with `env` over process.env. */
export async function startApi(env: Record<string, string>): Promise<TestApi> {
  const saved = { ...process.env };
  // Rate limiting is off unless a test turns it on: suites send many requests from one address.
  Object.assign(process.env, { NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '0' }, env);
  let app: NestFastifyApplication;
  try {
    app = await createApp({ logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
  } finally {
    process.env = saved;
  }
  const { port } = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  const contract = await fetchContract(baseUrl);
  return {
    app,
    baseUrl,
    contract,
    request: requester(baseUrl, contract),
    close: () => app.close(),
  };
}

/** The OpenAPI document served at `baseUrl`, compiled. */
export async function fetchContract(baseUrl: string): Promise<OpenApiContract> {
  return new OpenApiContract(await fetch(`${baseUrl}/docs-json`).then((r) => r.json()));
}

/** `TestApi.request` for the API at `baseUrl` (in this process or another). */
export function requester(baseUrl: string, contract: OpenApiContract): TestApi['request'] {
  return async (method, path, body, headers = {}, { validate = true } = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      // A string or bytes go as they are (malformed bodies); anything else as its JSON.
      init.body =
        typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await fetch(baseUrl + path, init);
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && text ? JSON.parse(text) : text;
    if (validate) {
      const problems = contract.check(
        method,
        path,
        response.status,
        type,
        parsed,
        response.headers,
      );
      if (problems.length > 0) {
        throw new Error(`Response does not match the OpenAPI document:\n${problems.join('\n')}`);
      }
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}

/** Replaces ids and timestamps (which legitimately differ) by placeholders so bodies from both dialects can be compared. */
export function normalizeBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeBody);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        key,
        /^(createdAt|updatedAt)$/.test(key) && typeof v === 'string'
          ? '<timestamp>'
          : /^(id|\w+Id)$/.test(key) && typeof v === 'number'
            ? '<id>'
            : normalizeBody(v),
      ]),
    );
  }
  return value;
}

/**
 * `api.request` that also appends each exchange to `transcript`, normalized (`normalizeBody`,
 * and ids in paths and messages, matched by `ids` with the text before the id in group 1), so
 * that a suite run on both dialects can compare the two transcripts at the end. `api` is a
 * getter: suites start their API in `beforeAll`.
 */
export function recordingRequests(api: () => TestApi, transcript: unknown[], ids: RegExp) {
  return async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await api().request(method, path, body, headers);
    const entry = { method, path, status: response.status, body: normalizeBody(response.body) };
    transcript.push(JSON.parse(JSON.stringify(entry).replace(ids, '$1<id>')));
    return response;
  };
}
