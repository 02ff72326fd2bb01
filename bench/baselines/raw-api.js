'use strict';
// The baseline for the HTTP benchmarks: raw Fastify with the bare driver (better-sqlite3 or a
// pg.Pool) doing the same queries and returning the same JSON as the API, with none of the
// framework (no Nest, no TypeORM, no validation library, no logging).
// With RAW_API_HOOK=<module> (the bench gives the built dist/libs/http/src/request-hook.js) it
// also runs the API's own request hook and request ids (X-Request-Id, the security headers, the
// 415 check), to price those features apart from the framework.
// With RAW_API_NEST=<dir> (the bench gives the built dist/libs/http/src) the same store serves
// GET /api/tasks/:id from a minimal Nest application set up as the API's HTTP layer is (its
// Fastify adapter with the request hook, `IdParam`, the global validation pipe and error
// filter): the floor that Nest and our HTTP set-up put under the API, before any of its modules.
const Fastify = require('fastify');
const path = require('node:path');

const sqlite = process.env.DB_TYPE !== 'postgres';
// On SQLite the API stores metadata as binary JSONB (as TypeORM does) and reads it through json().
const METADATA = sqlite ? `json("metadata") AS "metadata"` : `"metadata"`;
const COLUMNS = `"id", "projectId", "title", "notes", "status", "priority", "dueAt", "estimateHours", ${METADATA}, "createdAt", "updatedAt"`;
const iso = (value) =>
  value === null
    ? null
    : value instanceof Date
      ? value.toISOString()
      : `${value.replace(' ', 'T')}Z`;

function toJson(row, tags) {
  return {
    id: row.id,
    projectId: row.projectId,
    title: row.title,
    notes: row.notes,
    status: row.status,
    priority: row.priority,
    dueAt: iso(row.dueAt),
    estimateHours: row.estimateHours === null ? null : Number(row.estimateHours),
    metadata: typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata,
    tags,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

function sqliteStore() {
  const Database = require('better-sqlite3');
  const db = new Database(process.env.SQLITE_PATH);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  const ping = db.prepare('SELECT 1');
  const byId = db.prepare(`SELECT ${COLUMNS} FROM "tasks" WHERE "id" = ?`);
  const tagsOf = db
    .prepare(
      `SELECT t."name" FROM "task_tags" tt JOIN "tags" t ON t."id" = tt."tagId" WHERE tt."taskId" = ? ORDER BY t."name"`,
    )
    .pluck();
  const page = db.prepare(`SELECT ${COLUMNS} FROM "tasks" ORDER BY "id" LIMIT ? OFFSET ?`);
  const count = db.prepare('SELECT count(*) FROM "tasks"').pluck();
  const insert = db.prepare(
    `INSERT INTO "tasks" ("projectId", "title", "notes", "searchKey", "status", "priority", "createdAt", "updatedAt") VALUES (?, ?, NULL, ?, 'todo', 3, ?, ?) RETURNING ${COLUMNS}`,
  );
  const now = () => new Date().toISOString().replace('T', ' ').replace('Z', '');
  return {
    ping: async () => ping.get(),
    get: async (id) => {
      const row = byId.get(id);
      return row && toJson(row, tagsOf.all(id));
    },
    list: async (limit, offset) => {
      const rows = page.all(limit, offset);
      const tags = tagsFor(
        rows.map((r) => r.id),
        (ids) =>
          db
            .prepare(
              `SELECT tt."taskId", t."name" FROM "task_tags" tt JOIN "tags" t ON t."id" = tt."tagId" WHERE tt."taskId" IN (${ids.map(() => '?').join(',')}) ORDER BY t."name"`,
            )
            .all(...ids),
      );
      return {
        items: rows.map((r) => toJson(r, tags.get(r.id) ?? [])),
        total: count.get(),
        limit,
        offset,
      };
    },
    create: async (projectId, title) => {
      const stamp = now();
      // `.all()`, not `.get()`: a RETURNING statement commits when it finishes, and one that
      // `.get()` leaves unfinished commits at its reset, where SQLite never runs the WAL's
      // automatic checkpoint (the WAL would grow by every write, and skip the API's checkpoints).
      const [row] = insert.all(projectId, title, title.toLowerCase(), stamp, stamp);
      return toJson(row, []);
    },
  };
}

function tagsFor(ids, query) {
  const byTask = new Map();
  if (ids.length === 0) return byTask;
  for (const { taskId, name } of query(ids)) {
    if (!byTask.has(taskId)) byTask.set(taskId, []);
    byTask.get(taskId).push(name);
  }
  return byTask;
}

/** A task's tag names, sorted, as an array column (PostgreSQL). */
const TAG_NAMES = `ARRAY(SELECT t."name" FROM "task_tags" tt JOIN "tags" t ON t."id" = tt."tagId" WHERE tt."taskId" = "tasks"."id" ORDER BY t."name")`;

function postgresStore() {
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  return {
    ping: () => pool.query('SELECT 1'),
    // One statement per answer, as the API on PostgreSQL reads (one moment): the tag names as an
    // array column, and for a page its total joined to it.
    get: async (id) => {
      const { rows } = await pool.query(
        `SELECT ${COLUMNS}, ${TAG_NAMES} AS "tagNames" FROM "tasks" WHERE "id" = $1`,
        [id],
      );
      return rows[0] && toJson(rows[0], rows[0].tagNames);
    },
    list: async (limit, offset) => {
      const { rows } = await pool.query(
        `SELECT c.n, p.* FROM (SELECT count(*)::int AS n FROM "tasks") c LEFT JOIN LATERAL ` +
          `(SELECT ${COLUMNS}, ${TAG_NAMES} AS "tagNames" FROM "tasks" ORDER BY "id" LIMIT $1 OFFSET $2) p ON true`,
        [limit, offset],
      );
      return {
        items: rows.filter((r) => r.id !== null).map((r) => toJson(r, r.tagNames)),
        total: rows[0].n,
        limit,
        offset,
      };
    },
    create: async (projectId, title) => {
      const now = new Date();
      const { rows } = await pool.query(
        `INSERT INTO "tasks" ("projectId", "title", "notes", "searchKey", "status", "priority", "createdAt", "updatedAt") VALUES ($1, $2, NULL, $3, 'todo', 3, $4, $4) RETURNING ${COLUMNS}`,
        [projectId, title, title.toLowerCase(), now],
      );
      return toJson(rows[0], []);
    },
  };
}

/** The raw server: Fastify routes calling the store, optionally with the API's request hook. */
async function rawServer(store) {
  const hook = process.env.RAW_API_HOOK && require(path.resolve(process.env.RAW_API_HOOK));
  const app = Fastify({
    bodyLimit: 64 * 1024,
    ...(hook && { requestIdHeader: false, genReqId: hook.requestIdOf }),
  });
  if (hook) app.addHook('onRequest', hook.createRequestHook());
  app.get('/health/live', async () => ({ status: 'ok', info: {}, error: {}, details: {} }));
  app.get('/health', async () => health(store));
  app.get('/api/tasks/:id', async (req, reply) => {
    const task = await store.get(Number(req.params.id));
    return task ?? reply.code(404).send({ status: 404 });
  });
  app.get('/api/tasks', async (req) =>
    store.list(Number(req.query.limit ?? 20), Number(req.query.offset ?? 0)),
  );
  app.post('/api/tasks', async (req, reply) => {
    const { projectId, title } = req.body ?? {};
    if (!Number.isInteger(projectId) || typeof title !== 'string' || !title)
      return reply.code(400).send({ status: 400 });
    reply.code(201).header('location', '/api/tasks/0');
    return store.create(projectId, title);
  });
  await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
  return () => app.close();
}

async function health(store) {
  await store.ping();
  const up = { database: { status: 'up' } };
  return { status: 'ok', info: up, error: {}, details: up };
}

/** The Nest floor (RAW_API_NEST): the same store behind a controller, in plain JavaScript. */
async function nestServer(store, dir) {
  require('reflect-metadata');
  const { Controller, Get, Module, NotFoundException } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const http = (name) => require(path.resolve(dir, name));
  const { createFastifyAdapter } = http('configure-app');
  const { IdParam } = http('id-param');
  const { createValidationPipe } = http('validation');
  const { ProblemDetailsFilter } = http('problem-details.filter');

  class FloorController {
    async task(id) {
      const task = await store.get(id);
      if (!task) throw new NotFoundException(`Task ${id} does not exist`);
      return task;
    }
    health() {
      return health(store);
    }
  }
  const route = (method, path, ...parameters) => {
    const descriptor = Object.getOwnPropertyDescriptor(FloorController.prototype, method);
    Reflect.defineMetadata('design:paramtypes', parameters, FloorController.prototype, method);
    Get(path)(FloorController.prototype, method, descriptor);
  };
  route('task', 'api/tasks/:id', Number);
  IdParam()(FloorController.prototype, 'task', 0);
  route('health', 'health');
  Controller()(FloorController);
  class FloorModule {}
  Module({ controllers: [FloorController] })(FloorModule);

  const app = await NestFactory.create(FloorModule, createFastifyAdapter(), {
    logger: ['error'],
    bodyParser: false,
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
  return () => app.close();
}

async function main() {
  const store = sqlite ? sqliteStore() : postgresStore();
  await store.ping();
  const close = process.env.RAW_API_NEST
    ? await nestServer(store, process.env.RAW_API_NEST)
    : await rawServer(store);
  process.once('SIGTERM', () => close().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
