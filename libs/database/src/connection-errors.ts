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
