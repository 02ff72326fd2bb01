import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** What the diagnosis needs from the file system; tests pass their own (root writes anywhere). */
export interface PathProbe {
  kind(path: string): 'file' | 'folder' | 'missing' | 'other';
  /** May this process write the file, or create files in the folder (write and search). */
  writable(path: string): boolean;
}

function kindOf(path: string): ReturnType<PathProbe['kind']> {
  try {
    const stats = statSync(path);
    return stats.isDirectory() ? 'folder' : stats.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

export const fileSystemProbe: PathProbe = {
  kind: kindOf,
  writable(path) {
    try {
      accessSync(path, constants.W_OK | (kindOf(path) === 'folder' ? constants.X_OK : 0));
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * Failures to open or create the database file or its folder: better-sqlite3's
 * `unable to open database file` (SQLITE_CANTOPEN) and `attempt to write a readonly database`
 * (SQLITE_READONLY*, a file it could open only for reading), `file is not a database`
 * (SQLITE_NOTADB: SQLITE_PATH names another kind of file), and the errors of creating the folder
 * (`mkdir`, ours and TypeORM's). Nothing else is about the path.
 */
const OPEN_FAILURE =
  /^(SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_NOTADB$|EACCES$|EPERM$|EROFS$|ENOTDIR$|EEXIST$)/;

/** This process's uid, which is what a `chown` needs; null on Windows, which has none. */
const currentUid = (): number | null => process.getuid?.() ?? null;

function processUser(uid: number | null): string {
  return uid === null ? "this process's user" : `uid ${uid}`;
}

/**
 * The likely reason SQLite cannot open `file` (absolute), or undefined when the file system
 * shows none: a path part that is a file, a missing folder that cannot be created, a folder or
 * file (the database, its -wal or -shm) this process may not write. Checked from the top down,
 * as SQLite meets them.
 */
export function sqliteOpenProblem(
  file: string,
  probe: PathProbe = fileSystemProbe,
  uid: number | null = currentUid(),
): string | undefined {
  const user = processUser(uid);
  const folder = dirname(file);
  let existing = folder;
  while (probe.kind(existing) === 'missing' && dirname(existing) !== existing) {
    existing = dirname(existing);
  }
  const kind = probe.kind(existing);
  if (kind !== 'folder') {
    return `${existing} is ${kind === 'file' ? 'a file, not a folder' : 'not a folder'}`;
  }
  if (existing !== folder) {
    return probe.writable(existing)
      ? `the folder ${folder} does not exist`
      : `the folder ${folder} does not exist, and ${existing} is not writable by ${user} to ` +
          `create it: create it and make it writable for ${user}`;
  }
  if (!probe.writable(folder)) {
    // The classic Docker case: a bind mount whose host folder Docker created, owned by root,
    // while the image runs as a non-root user.
    return (
      `the folder ${folder} is not writable by ${user}: chown it to that user (for a Docker ` +
      `bind mount, chown the folder on the host), or use a named volume`
    );
  }
  if (probe.kind(file) === 'folder') return `${file} is a folder, not a file`;
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (probe.kind(path) === 'file' && !probe.writable(path)) {
      return `the file ${path} is not writable by ${user}: chown it to that user`;
    }
  }
  return undefined;
}

/**
 * Rewrites a failure to open the SQLite database so it names the file (SQLITE_PATH resolved)
 * and the likely reason, instead of better-sqlite3's bare `unable to open database file`.
 * Keeps `code` and the original as `cause`; other errors pass through as they are.
 */
export function withSqlitePath(
  error: unknown,
  path: string,
  probe: PathProbe = fileSystemProbe,
  uid: number | null = currentUid(),
): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: string };
  if (path === ':memory:' || typeof code !== 'string' || !OPEN_FAILURE.test(code)) return error;
  const file = resolve(path);
  const problem = sqliteOpenProblem(file, probe, uid);
  const reason = problem ? `${problem} (${message || code})` : message || code;
  return Object.assign(
    new Error(`cannot open SQLite database ${file}: ${reason}`, { cause: error }),
    { code },
  );
}
