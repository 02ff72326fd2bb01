import { resolve } from 'node:path';
import { DatabaseConfig } from '@app/config';
import { describeDatabase } from './describe-database';

const common = { migrationsRun: true, pingTimeoutMs: 1000, connectRetries: 5 };

function postgres(url: string, host: string, port = 5432): DatabaseConfig {
  return {
    ...common,
    type: 'postgres',
    url,
    host,
    port,
    hostVariable: 'DATABASE_URL',
    poolSize: 10,
    connectTimeoutMs: 5000,
    statementTimeoutMs: 5000,
  };
}

describe('describeDatabase', () => {
  it('names the SQLite file, resolved', () => {
    const config: DatabaseConfig = {
      ...common,
      type: 'sqlite',
      path: 'data/x.sqlite',
      busyTimeoutMs: 1,
    };
    expect(describeDatabase(config)).toBe(`SQLite ${resolve('data/x.sqlite')}`);
  });

  it('names the PostgreSQL server, database and user, never the password', () => {
    const url = 'postgres://app%20user:Pw%2F%23-secret@db.internal:6543/tasks%20db?sslmode=require';
    const text = describeDatabase(postgres(url, 'db.internal', 6543));
    expect(text).toBe('PostgreSQL at db.internal:6543, database tasks db, user app user');
    expect(text).not.toMatch(/Pw|secret/);
  });

  it('names the socket folder of a URL without a host part', () => {
    const url = 'postgres://app:secret@/app?host=/cloudsql/p:r:i';
    expect(describeDatabase(postgres(url, '/cloudsql/p:r:i'))).toBe(
      'PostgreSQL at /cloudsql/p:r:i:5432, database app, user app',
    );
  });
});
