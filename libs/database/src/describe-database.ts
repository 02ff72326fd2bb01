import { resolve } from 'node:path';
import { DatabaseConfig, postgresLogin } from '@app/config';

/**
 * Which database the app uses, for the start-up log: the SQLite file (resolved) or the
 * PostgreSQL server, database and user. Never the password: the URL is read for its parts
 * as pg reads it (`postgresLogin`).
 */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.type === 'sqlite') {
    return config.path === ':memory:' ? 'SQLite :memory:' : `SQLite ${resolve(config.path)}`;
  }
  const { database, user } = postgresLogin(config.url);
  return [
    `PostgreSQL at ${config.host}:${config.port}`,
    database && `database ${database}`,
    user && `user ${user}`,
  ]
    .filter(Boolean)
    .join(', ');
}
