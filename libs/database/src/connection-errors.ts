import { DatabaseConfig } from '@app/config';

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P03', // the database system is starting up
]);

/**
 * True for failures worth retrying (network, server starting up); false for configuration
 * errors such as a wrong password or an unknown database, which fail at once.
 */
export function isTransientConnectionError(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  if (code && NETWORK_ERROR_CODES.has(code)) return true;
  return /timeout|terminated unexpectedly|Connection terminated/i.test(message ?? '');
}

/** "PostgreSQL at host:port" or "SQLite file path": what a start-up error message names. */
export function describeTarget(config: DatabaseConfig): string {
  return config.type === 'sqlite'
    ? `SQLite file ${config.path}`
    : `PostgreSQL at ${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
}

/**
 * Rewrites a connection failure to name the server it tried and the driver's reason, keeping
 * the driver's `code` so retries can still tell network errors from configuration errors.
 */
export function connectionFailure(error: unknown, config: DatabaseConfig): Error {
  const { message = String(error), code } = error as { message?: string; code?: string };
  const kind = isTransientConnectionError(error) ? 'unreachable' : 'refused the connection';
  const failure = new Error(`Cannot connect to ${describeTarget(config)} (${kind}): ${message}`, {
    cause: error,
  });
  return Object.assign(failure, { code });
}
