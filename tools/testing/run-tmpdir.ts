import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How many of the run's global setups use the folder (the unit and the e2e project's). */
const users = globalThis as { __RUN_TMPDIR_USERS__?: number };

/**
 * One folder for every temporary file of a test run (SQLite databases, fixtures, the embedded
 * server's data), TMPDIR for the test processes and what they spawn, which the last global
 * teardown removes. Sticky and open to all as /tmp is, for the tests that run commands as
 * another user. Each project's global setup calls it (Jest runs a project's only when it has
 * tests to run): the first makes the folder, the others share it.
 */
export function useRunTmpdir(): void {
  users.__RUN_TMPDIR_USERS__ = (users.__RUN_TMPDIR_USERS__ ?? 0) + 1;
  if (process.env.TEST_RUN_TMPDIR) return;
  process.env.TEST_RUN_ID = `r${Date.now().toString(36)}`;
  const runTmp = join(tmpdir(), `nest-tasks-test-${process.env.TEST_RUN_ID}`);
  mkdirSync(runTmp);
  chmodSync(runTmp, 0o1777);
  process.env.TMPDIR = process.env.TEST_RUN_TMPDIR = runTmp;
}

/** The global teardown's half of useRunTmpdir: the last one removes the folder. */
export function releaseRunTmpdir(): void {
  users.__RUN_TMPDIR_USERS__ = (users.__RUN_TMPDIR_USERS__ ?? 1) - 1;
  const runTmp = process.env.TEST_RUN_TMPDIR;
  if (users.__RUN_TMPDIR_USERS__ > 0 || !runTmp) return;
  rmSync(runTmp, { recursive: true, force: true });
}
