import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { APP_ENV, apiArgs, startServer } from './servers';

/**
 * Builds a SQLite source the way a user's would be: the app's own migrations, then `tasks`
 * tasks (in one project, two tags each) with notes of `noteBytes` characters. Returns its size.
 */
export async function buildSource(path: string, tasks: number, noteBytes: number): Promise<number> {
  const app = await startServer(apiArgs(), {
    ...APP_ENV,
    DB_TYPE: 'sqlite',
    SQLITE_PATH: path,
    DB_MIGRATIONS_RUN: 'true',
  });
  await app.stop();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const stamp = '2026-01-01 00:00:00.000';
  const note = 'n'.repeat(Math.max(0, noteBytes - 10));
  db.transaction(() => {
    db.prepare(
      `INSERT INTO "projects" ("name", "nameKey", "description", "archived", "createdAt", "updatedAt") VALUES ('Bench', 'bench', NULL, 0, ?, ?)`,
    ).run(stamp, stamp);
    for (let t = 1; t <= 5; t++) {
      db.prepare(`INSERT INTO "tags" ("name", "nameKey", "color") VALUES (?, ?, '#00aa00')`).run(
        `tag${t}`,
        `tag${t}`,
      );
    }
    const task = db.prepare(
      `INSERT INTO "tasks" ("projectId", "title", "notes", "searchKey", "status", "priority", "dueAt", "estimateHours", "metadata", "createdAt", "updatedAt") VALUES (1, ?, ?, ?, 'todo', 3, ?, 2.5, ?, ?, ?)`,
    );
    const link = db.prepare(`INSERT INTO "task_tags" ("taskId", "tagId") VALUES (?, ?), (?, ?)`);
    for (let i = 1; i <= tasks; i++) {
      const notes = `${i} ${note}`;
      task.run(
        `Task ${i}`,
        notes,
        `task ${i}\n${notes}`,
        stamp,
        `{"n":${i},"ok":true}`,
        stamp,
        stamp,
      );
      link.run(i, (i % 5) + 1, i, ((i + 1) % 5) + 1);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return statSync(path).size;
}

/** Rows in the domain tables of a source, for rows/s. */
export function sourceRows(path: string): number {
  const db = new Database(path, { readonly: true });
  const count = (t: string) => db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number;
  const total = ['projects', 'tags', 'tasks', 'task_tags'].reduce((n, t) => n + count(t), 0);
  db.close();
  return total;
}
