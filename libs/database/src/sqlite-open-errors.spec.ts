import { execFileSync } from 'node:child_process';
import { transformSync } from '@swc/core';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  fileSystemProbe,
  PathProbe,
  sqliteOpenProblem,
  withSqlitePath,
} from './sqlite-open-errors';

/** A file system given as path -> kind, with the paths this process may not write. */
function fakeFileSystem(
  kinds: Record<string, 'file' | 'folder'>,
  readOnly: string[] = [],
): PathProbe {
  return {
    kind: (path) => kinds[path] ?? 'missing',
    writable: (path) => !readOnly.includes(path),
  };
}

/** What better-sqlite3 throws when it cannot open or create the file. */
const cantOpen = () =>
  Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' });

describe('withSqlitePath', () => {
  it('names the file and a folder the process may not write (a root-owned bind mount)', () => {
    const probe = fakeFileSystem({ '/': 'folder', '/app': 'folder', '/app/data': 'folder' }, [
      '/app/data',
    ]);
    const error = withSqlitePath(cantOpen(), '/app/data/app.sqlite', probe, 1000) as Error;
    expect(error.message).toBe(
      'cannot open SQLite database /app/data/app.sqlite: the folder /app/data is not writable ' +
        'by uid 1000: chown it to that user (for a Docker bind mount, chown the folder on the ' +
        'host), or use a named volume (unable to open database file)',
    );
    expect(error).toMatchObject({ code: 'SQLITE_CANTOPEN', cause: expect.any(Error) });
  });

  it('resolves a relative SQLITE_PATH against the working directory', () => {
    const error = withSqlitePath(cantOpen(), 'data/app.sqlite', fakeFileSystem({}), 1000);
    expect((error as Error).message).toContain(
      `cannot open SQLite database ${resolve('data/app.sqlite')}:`,
    );
  });

  it.each([
    'SQLITE_READONLY',
    'SQLITE_READONLY_DIRECTORY',
    'SQLITE_CANTOPEN_ISDIR',
    'SQLITE_NOTADB',
    'EACCES',
    'EPERM',
    'EROFS',
    'ENOTDIR',
    'EEXIST',
  ])('rewrites a %s failure, keeping its code', (code) => {
    const error = Object.assign(new Error('the driver says'), { code });
    const probe = fakeFileSystem({ '/': 'folder', '/data': 'folder' });
    expect(withSqlitePath(error, '/data/app.sqlite', probe, 0)).toMatchObject({
      message: 'cannot open SQLite database /data/app.sqlite: the driver says',
      code,
    });
  });

  it('names the code when the error has no message', () => {
    const error = { code: 'SQLITE_CANTOPEN' };
    const probe = fakeFileSystem({ '/': 'folder' }, ['/']);
    expect((withSqlitePath(error, '/app.sqlite', probe, 0) as Error).message).toMatch(
      /^cannot open SQLite database \/app\.sqlite: the folder \/ is not writable by uid 0: .* \(SQLITE_CANTOPEN\)$/,
    );
  });

  it('passes other errors, and any error for :memory:, through unchanged', () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(withSqlitePath(busy, '/app/data/app.sqlite')).toBe(busy);
    const error = cantOpen();
    expect(withSqlitePath(error, ':memory:')).toBe(error);
    const numeric = Object.assign(new Error('cannot open'), { code: 14 });
    expect(withSqlitePath(numeric, '/app/data/app.sqlite')).toBe(numeric);
    expect(withSqlitePath(null, '/app/data/app.sqlite')).toBeNull();
  });

  it('keeps the driver message alone when the file system shows no reason', () => {
    const probe = fakeFileSystem({ '/': 'folder', '/data': 'folder' });
    expect((withSqlitePath(cantOpen(), '/data/app.sqlite', probe, 0) as Error).message).toBe(
      'cannot open SQLite database /data/app.sqlite: unable to open database file',
    );
  });

  it('explains a folder that cannot be created, from the real file system', () => {
    // A regular file where a folder should be: mkdir fails even for root.
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-open-'));
    writeFileSync(join(dir, 'not-a-folder'), '');
    const mkdirError = Object.assign(new Error(`EEXIST: file already exists, mkdir`), {
      code: 'EEXIST',
    });
    const path = join(dir, 'not-a-folder', 'data', 'app.sqlite');
    expect((withSqlitePath(mkdirError, path) as Error).message).toBe(
      `cannot open SQLite database ${path}: ${join(dir, 'not-a-folder')} is a file, not a ` +
        'folder (EEXIST: file already exists, mkdir)',
    );
  });
});

describe('sqliteOpenProblem', () => {
  const root = { '/': 'folder', '/srv': 'folder' } as const;

  it('names a missing folder whose parent the process may not write', () => {
    expect(sqliteOpenProblem('/srv/data/app.sqlite', fakeFileSystem(root, ['/srv']), 1000)).toBe(
      'the folder /srv/data does not exist, and /srv is not writable by uid 1000 to create it: ' +
        'create it and make it writable for uid 1000',
    );
  });

  it('names a database path that is a folder', () => {
    const probe = fakeFileSystem({ ...root, '/srv/app.sqlite': 'folder' });
    expect(sqliteOpenProblem('/srv/app.sqlite', probe, 1000)).toBe(
      '/srv/app.sqlite is a folder, not a file',
    );
  });

  it('names a database, -wal or -shm file the process may not write (left by another user)', () => {
    const probe = fakeFileSystem(
      { ...root, '/srv/app.sqlite': 'file', '/srv/app.sqlite-wal': 'file' },
      ['/srv/app.sqlite-wal'],
    );
    expect(sqliteOpenProblem('/srv/app.sqlite', probe, 1000)).toBe(
      'the file /srv/app.sqlite-wal is not writable by uid 1000: chown it to that user',
    );
  });

  it('names an -shm file the process may not write, the database and -wal being writable', () => {
    const probe = fakeFileSystem(
      {
        ...root,
        '/srv/app.sqlite': 'file',
        '/srv/app.sqlite-wal': 'file',
        '/srv/app.sqlite-shm': 'file',
      },
      ['/srv/app.sqlite-shm'],
    );
    expect(sqliteOpenProblem('/srv/app.sqlite', probe, 1000)).toBe(
      'the file /srv/app.sqlite-shm is not writable by uid 1000: chown it to that user',
    );
  });

  it('names a missing folder the process may create as missing', () => {
    expect(sqliteOpenProblem('/srv/data/app.sqlite', fakeFileSystem(root), 1000)).toBe(
      'the folder /srv/data does not exist',
    );
  });

  it('names the database file the process may not write', () => {
    const probe = fakeFileSystem({ ...root, '/srv/app.sqlite': 'file' }, ['/srv/app.sqlite']);
    expect(sqliteOpenProblem('/srv/app.sqlite', probe, 1000)).toBe(
      'the file /srv/app.sqlite is not writable by uid 1000: chown it to that user',
    );
  });

  it('blames no -wal or -shm file that does not exist', () => {
    const probe = fakeFileSystem({ ...root, '/srv/app.sqlite': 'file' }, [
      '/srv/app.sqlite-wal',
      '/srv/app.sqlite-shm',
    ]);
    expect(sqliteOpenProblem('/srv/app.sqlite', probe, 1000)).toBeUndefined();
  });

  it('names a path part that is neither file nor folder, from the real file system', () => {
    expect(sqliteOpenProblem('/dev/null/app.sqlite')).toBe('/dev/null is not a folder');
  });

  it("says this process's user where there is no uid (Windows)", () => {
    expect(sqliteOpenProblem('/srv/app.sqlite', fakeFileSystem(root, ['/srv']), null)).toMatch(
      /^the folder \/srv is not writable by this process's user:/,
    );
  });
});

const asNobody = { uid: 65534, gid: 65534, encoding: 'utf8' } as const;

/** A script printing `fileSystemProbe.writable` of each path argument, as JSON. */
function probeScript(): string {
  const source = readFileSync(join(__dirname, 'sqlite-open-errors.ts'), 'utf8');
  const { code } = transformSync(source, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  return `${code}\nconsole.log(JSON.stringify(process.argv.slice(1).map((p) => exports.fileSystemProbe.writable(p))));`;
}

describe('fileSystemProbe', () => {
  it('tells files, folders and missing paths apart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-probe-'));
    writeFileSync(join(dir, 'file'), '');
    expect(fileSystemProbe.kind(dir)).toBe('folder');
    expect(fileSystemProbe.kind(join(dir, 'file'))).toBe('file');
    expect(fileSystemProbe.kind(join(dir, 'missing'))).toBe('missing');
    expect(fileSystemProbe.kind('/dev/null')).toBe('other');
  });

  it('may write a folder of its own, not a path that does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-probe-'));
    expect(fileSystemProbe.writable(dir)).toBe(true);
    expect(fileSystemProbe.writable(join(dir, 'missing'))).toBe(false);
  });

  it('may not write a folder it may write but not search (SQLite cannot create a file there)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-probe-'));
    chmodSync(dir, 0o755);
    const folders = { unsearchable: 0o666, open: 0o777 };
    for (const [name, mode] of Object.entries(folders)) {
      mkdirSync(join(dir, name));
      chmodSync(join(dir, name), mode);
    }
    // Root may search any folder: as root, the probe runs as nobody (uid 65534), in a child
    // given this module compiled (nobody may not read the checkout, under /root for instance).
    const paths = Object.keys(folders).map((name) => join(dir, name));
    const writable =
      process.getuid?.() === 0
        ? JSON.parse(
            execFileSync(process.execPath, ['-e', probeScript(), ...paths], {
              ...asNobody,
              cwd: dir,
            }),
          )
        : paths.map((path) => fileSystemProbe.writable(path));
    expect(writable).toEqual([false, true]);
  });
});
