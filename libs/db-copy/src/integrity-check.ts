import { Worker } from 'node:worker_threads';
import { DbCopyError } from './db-copy-error';

/**
 * Runs in the worker: its own read-only connection (better-sqlite3 by the main thread's
 * resolved path, so the worker loads the same driver wherever the CLI is installed).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.name, { readonly: true, fileMustExist: true });
try {
  parentPort.postMessage(db.prepare('PRAGMA integrity_check').pluck().all());
} finally {
  db.close();
}
`;

/** `PRAGMA integrity_check`'s rows to nothing ("ok") or the refusal. */
export function integrityProblem(rows: string[]): DbCopyError | undefined {
  if (rows.length === 1 && rows[0] === 'ok') return undefined;
  return new DbCopyError(
    `integrity_check failed; nothing was copied:\n  ${rows.slice(0, 20).join('\n  ')}`,
    1,
  );
}

/**
 * `PRAGMA integrity_check` of the source on a worker thread, so that it can run while the main
 * thread waits for PostgreSQL. `name` is what the source was opened with (a path or an
 * `immutable=1` URI). Resolves when the file is sound, rejects with the refusal otherwise.
 */
export function checkIntegrityInWorker(name: string): Promise<void> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver: require.resolve('better-sqlite3'), name },
  });
  const check = new Promise<void>((resolve, reject) => {
    worker.once('message', (rows: string[]) => {
      const problem = integrityProblem(rows);
      if (problem) reject(problem);
      else resolve();
    });
    worker.once('error', (error) =>
      reject(new DbCopyError(`integrity_check could not run: ${error.message}`, 2)),
    );
    worker.once('exit', (code) =>
      reject(new DbCopyError(`integrity_check stopped (worker exit code ${code})`, 2)),
    );
  });
  // A failure met before it is awaited must not turn its outcome into an unhandled rejection.
  check.catch(() => undefined);
  return check;
}
