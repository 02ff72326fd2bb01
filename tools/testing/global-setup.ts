import { chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startThrowawayPostgres } from '../embedded-postgres';

/**
 * Gives the e2e suite a real PostgreSQL: TEST_DATABASE_URL when set (an existing server whose
 * user may create databases), otherwise a throw-away embedded PostgreSQL 18. Each test file
 * creates its own databases, named after this run so that teardown can drop them.
 *
 * Every temporary file of the run (SQLite databases, fixtures, the embedded server's data) goes
 * into one folder, TMPDIR for the test processes and what they spawn, which teardown removes.
 * Sticky and open to all as /tmp is, for the tests that run commands as another user.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_RUN_ID = `r${Date.now().toString(36)}`;
  const runTmp = join(tmpdir(), `nest-tasks-test-${process.env.TEST_RUN_ID}`);
  mkdirSync(runTmp);
  chmodSync(runTmp, 0o1777);
  process.env.TMPDIR = process.env.TEST_RUN_TMPDIR = runTmp;
  if (process.env.TEST_DATABASE_URL) return;
  const server = await startThrowawayPostgres();
  process.env.TEST_DATABASE_URL = server.url();
  (globalThis as { __POSTGRES__?: typeof server }).__POSTGRES__ = server;
}
