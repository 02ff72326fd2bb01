import { startThrowawayPostgres } from '../embedded-postgres';
import { useRunTmpdir } from './run-tmpdir';

/**
 * Gives the e2e suite a real PostgreSQL: TEST_DATABASE_URL when set (an existing server whose
 * user may create databases), otherwise a throw-away embedded PostgreSQL 18. Each test file
 * creates its own databases, named after this run so that teardown can drop them.
 *
 * Every temporary file of the run, the embedded server's data included, goes into the run's
 * folder (useRunTmpdir), which the last teardown removes.
 */
export default async function globalSetup(): Promise<void> {
  useRunTmpdir();
  if (process.env.TEST_DATABASE_URL) return;
  const server = await startThrowawayPostgres();
  process.env.TEST_DATABASE_URL = server.url();
  (globalThis as { __POSTGRES__?: typeof server }).__POSTGRES__ = server;
}
