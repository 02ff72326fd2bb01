import { resolve } from 'node:path';
import { DatabaseConfig } from '@app/config';

/**
 * Which database the app uses, for the start-up log: the SQLite file (resolved) or the
 * PostgreSQL server, database and user. Never the password: the URL is read for its parts.
 */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.type === 'sqlite') {
    return config.path === ':memory:' ? 'SQLite :memory:' : `SQLite ${resolve(config.path)}`;
  }
  const where = `PostgreSQL at ${config.host}:${config.port}`;
  try {
    // A socket URL has no host part (`postgres://app:pw@/app?host=/folder`).
    const parsed = new URL(config.url.replace('@/', '@socket/'));
    const database = decodeURIComponent(parsed.pathname.slice(1));
    const user = decodeURIComponent(parsed.username);
    return [where, database && `database ${database}`, user && `user ${user}`]
      .filter(Boolean)
      .join(', ');
  } catch {
    return where;
  }
}
