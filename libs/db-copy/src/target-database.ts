import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import {
  buildDataSourceOptions,
  createDataSource,
  pendingMigrationNames,
  unknownMigrationNames,
  unknownMigrationsMessage,
} from '@app/database';
import { DbCopyError, hostPort } from './db-copy-error';
import { TypeormLog } from './typeorm-log';

/**
 * A PostgreSQL DataSource built exactly as the app builds it (same options, same migrations).
 * `log` receives TypeORM's own messages instead of stdout (see TypeormLog).
 */
export async function openTargetDataSource(
  url: string,
  log?: (message: string) => void,
): Promise<DataSource> {
  const options: DataSourceOptions = buildDataSourceOptions({
    type: 'postgres',
    url,
    host: '',
    port: 0,
    hostVariable: 'DATABASE_URL',
    poolSize: 2,
    connectTimeoutMs: 10_000,
    statementTimeoutMs: 0,
    migrationsRun: false,
    pingTimeoutMs: 2_000,
    connectRetries: 0,
  });
  const dataSource = createDataSource(log ? { ...options, logger: new TypeormLog(log) } : options);
  try {
    return await dataSource.initialize();
  } catch (error) {
    throw connectionError(url, error);
  }
}

export function connectionError(url: string, error: unknown): DbCopyError {
  const { code, message } = error as { code?: string; message?: string };
  const reason = (message ?? String(error)).replace(/postgres(ql)?:\/\/\S+/g, '<url>');
  return new DbCopyError(
    `Cannot connect to PostgreSQL at ${hostPort(url)}: ${code ? `${code} ` : ''}${reason}`,
    2,
  );
}

export async function connectTarget(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'nest-tasks db:copy' });
  try {
    await client.connect();
  } catch (error) {
    throw connectionError(url, error);
  }
  client.on('error', () => undefined);
  return client;
}

/**
 * The target's pending migrations; refuses (exit 2) a target that a newer version of the app
 * migrated: this build's entities do not describe its schema.
 */
export async function targetPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const unknown = await unknownMigrationNames(dataSource);
  if (unknown.length > 0) {
    throw new DbCopyError(`${unknownMigrationsMessage('The target', unknown)}.`, 2);
  }
  return pendingMigrationNames(dataSource);
}
