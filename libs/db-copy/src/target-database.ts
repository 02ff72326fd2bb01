import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { HostSource } from '@app/config';
import {
  buildDataSourceOptions,
  createDataSource,
  pendingMigrationNames,
  postgresTargetOf,
  unknownMigrationNames,
  unknownMigrationsMessage,
  withConnectionTarget,
} from '@app/database';
import { DbCopyError } from './db-copy-error';
import { TypeormLog } from './typeorm-log';

/**
 * A PostgreSQL DataSource built exactly as the app builds it (same options, same migrations).
 * `log` receives TypeORM's own messages instead of stdout (see TypeormLog); `hostSource` is
 * where the URL's host came from, for the hints of a failed connection.
 */
export async function openTargetDataSource(
  url: string,
  log?: (message: string) => void,
  hostSource?: HostSource,
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
    throw connectionError(url, error, { hostVariable: hostSource });
  }
}

/**
 * Why the target cannot be reached, as the app says it at start-up (`withConnectionTarget`):
 * the address, the reason once, and the hints for localhost in a container and a missing
 * password, naming `hostVariable` (default: the --to URL) as the thing to change.
 */
export function connectionError(
  url: string,
  error: unknown,
  { hostVariable = '--to', inContainer }: { hostVariable?: HostSource; inContainer?: boolean } = {},
): DbCopyError {
  const { code, message = String(error) } = error as { code?: string; message?: string };
  let text = `${code ? `${code} ` : ''}${message}`;
  // `host:port` as the app's messages name it (postgresTargetOf, the one parser of the two).
  let where = '<unparseable URL>';
  try {
    const target = { ...postgresTargetOf(url), hostVariable };
    where = `${target.host}:${target.port}`;
    const described = withConnectionTarget(error, target, inContainer) as Error;
    if (described !== error) text = described.message;
  } catch {
    // An unparseable URL: no target to name in a hint.
  }
  // The rewritten messages name the address themselves ("cannot reach PostgreSQL at host:port").
  const reason = text.replace(/postgres(ql)?:\/\/\S+/g, '<url>');
  return new DbCopyError(
    reason.includes(` at ${where}`)
      ? reason[0].toUpperCase() + reason.slice(1)
      : `Cannot connect to PostgreSQL at ${where}: ${reason}`,
    2,
  );
}

/**
 * The session that copies or verifies. A database or role may set `statement_timeout` and
 * `idle_in_transaction_session_timeout` for its applications (a managed PostgreSQL often does):
 * limits not meant for a bulk copy, whose COPY takes as long as the table, and whose transaction
 * waits while the source is read (verification, integrity_check). This session lifts them.
 */
export async function connectTarget(url: string, hostSource?: HostSource): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'nest-tasks db:copy' });
  try {
    await client.connect();
  } catch (error) {
    throw connectionError(url, error, { hostVariable: hostSource });
  }
  client.on('error', () => undefined);
  try {
    await client.query('SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0');
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
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
