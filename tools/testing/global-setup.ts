import { startThrowawayPostgres } from '../embedded-postgres';

/**
 * Gives the e2e suite a real PostgreSQL: TEST_DATABASE_URL when set (an existing server whose
 * user may create databases), otherwise a throw-away embedded PostgreSQL 18. Each test file
 * creates its own databases, named after this run so that teardown can drop them.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_RUN_ID = `r${Date.now().toString(36)}`;
  if (process.env.TEST_DATABASE_URL) return;
  const server = await startThrowawayPostgres();
  process.env.TEST_DATABASE_URL = server.url();
  (globalThis as { __POSTGRES__?: typeof server }).__POSTGRES__ = server;
}
