import Database from 'better-sqlite3';
import { Client } from 'pg';
import { Dialect } from './databases';
import { APP_ENV, apiArgs, startServer } from './servers';

/**
 * Brings the database to the current schema with the app's own migrations, then inserts one
 * project, 5 tags and `tasks` tasks (2 tags each) directly, the same rows on both dialects.
 */
export async function seed(
  dialect: Dialect,
  env: Record<string, string>,
  tasks = 1000,
): Promise<void> {
  const app = await startServer(apiArgs(), { ...APP_ENV, ...env, DB_MIGRATIONS_RUN: 'true' });
  await app.stop();
  const now = new Date('2026-01-01T00:00:00.000Z');
  const stamp = dialect === 'sqlite' ? '2026-01-01 00:00:00.000' : now;
  const statements: [string, unknown[]][] = [
    [
      `INSERT INTO "projects" ("name", "nameKey", "description", "archived", "createdAt", "updatedAt") VALUES ('Bench', 'bench', NULL, ${dialect === 'sqlite' ? 0 : false}, $1, $1)`,
      [stamp],
    ],
  ];
  for (let t = 1; t <= 5; t++)
    statements.push([
      `INSERT INTO "tags" ("name", "nameKey", "color") VALUES ('tag${t}', 'tag${t}', '#00aa00')`,
      [],
    ]);
  for (let i = 1; i <= tasks; i++) {
    statements.push([
      `INSERT INTO "tasks" ("projectId", "title", "notes", "searchKey", "status", "priority", "dueAt", "estimateHours", "metadata", "createdAt", "updatedAt") VALUES (1, $1, 'Some notes', $2, 'todo', 3, $3, 2.5, $4, $3, $3)`,
      [`Task ${i}`, `task ${i}\nsome notes`, stamp, JSON.stringify({ n: i, labels: ['a', 'b'] })],
    ]);
    statements.push([
      `INSERT INTO "task_tags" ("taskId", "tagId") VALUES (${i}, ${(i % 5) + 1}), (${i}, ${((i + 1) % 5) + 1})`,
      [],
    ]);
  }
  if (dialect === 'sqlite') {
    const db = new Database(env.SQLITE_PATH);
    db.transaction(() => {
      for (const [sql, params] of statements)
        db.prepare(sql.replace(/\$\d/g, '?')).run(...remap(sql, params));
    })();
    db.close();
    return;
  }
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  await client.query('BEGIN');
  for (const [sql, params] of statements) await client.query(sql, params);
  await client.query('COMMIT');
  await client.end();
}

/** `$1 … $n` placeholders may repeat; SQLite's `?` are positional, so expand the parameters. */
function remap(sql: string, params: unknown[]): unknown[] {
  return [...sql.matchAll(/\$(\d)/g)].map((m) => params[Number(m[1]) - 1]);
}
