/* Driver error codes of both dialects, mapped to one vocabulary in this one place. */
import { isDatabaseUnavailableError } from './connection-errors';

/** What a database error means to a client, the same for both drivers. */
export type DatabaseErrorKind = 'unique' | 'foreign-key' | 'concurrent' | 'unavailable';

export interface ClassifiedDatabaseError {
  kind: DatabaseErrorKind;
  /** For unique violations: the entity column that clashed, when the driver tells. */
  column?: string;
}

/** Maps PostgreSQL SQLSTATEs and SQLite result codes to one vocabulary. */
export function classifyDatabaseError(error: unknown): ClassifiedDatabaseError | undefined {
  const {
    code,
    message = '',
    detail = '',
    driverError,
  } = (error ?? {}) as {
    code?: string;
    message?: string;
    detail?: string;
    driverError?: { code?: string };
  };
  const driverCode = String(driverError?.code ?? code ?? '');
  if (driverCode === '23505' || driverCode === 'SQLITE_CONSTRAINT_UNIQUE') {
    const column =
      /Key \("?([\w]+)"?\)/.exec(detail)?.[1] ??
      /UNIQUE constraint failed: \w+\.(\w+)/.exec(message)?.[1];
    return { kind: 'unique', column };
  }
  if (driverCode === '23503' || driverCode === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return { kind: 'foreign-key' };
  }
  // PostgreSQL ended the transaction to break a deadlock, or could not serialize it: another
  // transaction's change got in the way, and the same request can succeed when sent again.
  if (driverCode === '40P01' || driverCode === '40001') return { kind: 'concurrent' };
  if (isDatabaseUnavailableError(error)) return { kind: 'unavailable' };
  return undefined;
}
