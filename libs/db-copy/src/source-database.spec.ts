import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DbCopyError } from './db-copy-error';
import {
  openElsewhereWarning,
  openSource,
  probeWriter,
  sourceReadError,
  SqliteOpener,
} from './source-database';

function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('openSource', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-copy-source-'));
    path = join(dir, 'app db?#%.sqlite'); // characters a file: URI must escape
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    db.close(); // checkpoints and removes -wal and -shm, like a stopped app
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Fails the normal open like a read-only mount does; records every name asked for. */
  function readOnlyMount(names: string[], failure = 'SQLITE_CANTOPEN'): SqliteOpener {
    return (name, options) => {
      names.push(name);
      if (!name.startsWith('file:')) throw sqliteError(failure, 'unable to open database file');
      expect(options).toMatchObject({ readonly: true });
      return new Database(path, options); // stands in for the URI open (URIs may be off here)
    };
  }

  it('opens read-only normally and does not touch the immutable fallback', () => {
    const names: string[] = [];
    const source = openSource(
      path,
      (name, options) => (names.push(name), new Database(name, options)),
    );
    expect(source.immutable).toBe(false);
    expect(source.notices).toEqual([]);
    expect(names).toEqual([path]);
    expect(source.db.readonly).toBe(true);
    source.db.close();
  });

  it.each(['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_READONLY_CANTINIT'])(
    'falls back to an escaped file: URI with immutable=1 after %s, with a notice',
    (code) => {
      const names: string[] = [];
      const source = openSource(path, readOnlyMount(names, code));
      expect(names[0]).toBe(path);
      expect(names[1]).toMatch(/^file:\/\/\/.*app%20db%3F%23%25\.sqlite\?immutable=1$/);
      expect(source.immutable).toBe(true);
      // openSource serves db:verify too: the notice does not speak of a copy.
      expect(source.notices.join()).toMatch(
        /immutable=1: this assumes no process writes the file while it is read \(stop the app first\)/,
      );
      expect(source.notices.join()).not.toContain('during the copy');
      expect(source.db.prepare('SELECT x FROM t').pluck().get()).toBe(1);
      source.db.close();
    },
  );

  it('refuses instead of silently skipping rows in a non-empty -wal', () => {
    writeFileSync(`${path}-wal`, 'uncheckpointed frames');
    const names: string[] = [];
    let error: unknown;
    try {
      openSource(path, readOnlyMount(names));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DbCopyError);
    expect((error as DbCopyError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/-wal holds rows not yet checkpointed.*-shm/s);
    expect(names).toEqual([path]); // immutable=1 (which ignores the -wal) was never tried
  });

  it('refuses a non-empty -wal beside the file a symlink names (where SQLite reads it)', () => {
    writeFileSync(`${path}-wal`, 'uncheckpointed frames');
    mkdirSync(join(dir, 'links'));
    const link = join(dir, 'links', 'current.sqlite');
    symlinkSync(path, link);
    const names: string[] = [];
    expect(() => openSource(link, readOnlyMount(names))).toThrow(
      /-wal holds rows not yet checkpointed/,
    );
    expect(names).toEqual([link]); // immutable=1, which ignores the -wal, was never tried
  });

  it('refuses a hot rollback journal instead of reading the uncommitted pages immutable=1', () => {
    const names: string[] = [];
    let error: unknown;
    try {
      openSource(path, readOnlyMount(names, 'SQLITE_READONLY_ROLLBACK'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DbCopyError);
    expect((error as DbCopyError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(
      /hot journal .*-journal.* interrupted write.*open it once with the app or sqlite3.*roll/is,
    );
    expect(names).toEqual([path]); // immutable=1 (which ignores the journal) was never tried
  });

  it('does not fall back on other errors, and explains when the URI open fails too', () => {
    const io: SqliteOpener = () => {
      throw sqliteError('SQLITE_IOERR', 'disk I/O error');
    };
    expect(() => openSource(path, io)).toThrow(/Cannot open .* read-only: disk I\/O error/);
    const never: SqliteOpener = () => {
      throw sqliteError('SQLITE_CANTOPEN', 'unable to open database file');
    };
    expect(() => openSource(path, never)).toThrow(/nor with immutable=1.*SQLITE_USE_URI=1/s);
  });
});

describe('probeWriter', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'db-copy-writer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['wal', 'delete'])('finds a connection holding BEGIN IMMEDIATE (%s journal)', (mode) => {
    const path = join(dir, `${mode}.sqlite`);
    const writer = new Database(path);
    writer.pragma(`journal_mode = ${mode}`);
    writer.exec('CREATE TABLE t (x)');
    const reader = new Database(path, { readonly: true });
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM t').get();
      expect(probeWriter(reader, path)).toEqual({ writer: false });

      writer.exec('BEGIN IMMEDIATE');
      const found = probeWriter(reader, path);
      expect(found.writer).toBe(true);
      expect(found.message).toMatch(/live writer.*snapshot.*miss every later write/);
      writer.exec('ROLLBACK');
      expect(probeWriter(reader, path)).toEqual({ writer: false });
    } finally {
      reader.close();
      writer.close();
    }
  });

  it('finds a writer through a symlink, whose -wal and -shm are beside the file it names', () => {
    const path = join(dir, 'app.sqlite');
    const writer = new Database(path);
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE t (x)');
    const link = join(dir, 'link.sqlite');
    symlinkSync(path, link);
    const reader = new Database(link, { readonly: true });
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM t').get();
      writer.exec('BEGIN IMMEDIATE');
      expect(probeWriter(reader, link).writer).toBe(true);
      expect(openElsewhereWarning(link)).toMatch(
        /link\.sqlite seems to be open in another process/,
      );
      writer.exec('ROLLBACK');
    } finally {
      reader.close();
      writer.close();
    }
  });

  it('leaves no new files behind and finds no writer when nobody has the file open', () => {
    const path = join(dir, 'closed.sqlite');
    const setup = new Database(path);
    setup.pragma('journal_mode = WAL');
    setup.exec('CREATE TABLE t (x)');
    setup.close();
    const reader = new Database(path, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').get();
    const before = readdirSync(dir).sort();
    expect(probeWriter(reader, path)).toEqual({ writer: false });
    expect(readdirSync(dir).sort()).toEqual(before);
    reader.close();
  });
});

describe('openElsewhereWarning', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'db-copy-open-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('warns while another connection that has written keeps the file open, idle', () => {
    const path = join(dir, 'app.sqlite');
    const app = new Database(path);
    app.pragma('journal_mode = WAL');
    app.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    try {
      expect(openElsewhereWarning(path)).toMatch(
        /app\.sqlite seems to be open in another process .*writes made after the copy starts will not be copied\. Stop the app first, and run db:verify afterwards/,
      );
    } finally {
      app.close(); // the last connection: checkpoints and removes -wal and -shm
    }
    expect(openElsewhereWarning(path)).toBeUndefined();
  });

  it('does not take the empty -wal a read-only open leaves behind for another process', () => {
    const path = join(dir, 'app.sqlite');
    const app = new Database(path);
    app.pragma('journal_mode = WAL');
    app.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    app.close();
    const reader = new Database(path, { readonly: true });
    reader.prepare('SELECT count(*) FROM t').get();
    reader.close(); // read-only: cannot remove the -wal and -shm it created
    expect(readdirSync(dir).sort()).toEqual(['app.sqlite', 'app.sqlite-shm', 'app.sqlite-wal']);
    expect(openElsewhereWarning(path)).toBeUndefined();
  });
});

describe('sourceReadError', () => {
  const read = (code: string, message: string) =>
    (sourceReadError(sqliteError(code, message), 'the source', 'nothing was written') as Error)
      .message;

  it('advises integrity_check for a damaged file only', () => {
    expect(read('SQLITE_CORRUPT', 'database disk image is malformed')).toBe(
      'Reading the source failed (SQLITE_CORRUPT: database disk image is malformed); nothing ' +
        'was written. Check the file with PRAGMA integrity_check.',
    );
    // Another tool's index with a collation of its own: integrity_check is what fails on it.
    expect(read('SQLITE_ERROR_MISSING_COLLSEQ', 'no such collation sequence: NOCASE_DE')).toBe(
      'Reading the source failed (SQLITE_ERROR_MISSING_COLLSEQ: no such collation sequence: ' +
        'NOCASE_DE); nothing was written.',
    );
  });

  it('leaves other errors as they are', () => {
    const refusal = new DbCopyError('refused', 2);
    expect(sourceReadError(refusal, 'the source', 'x')).toBe(refusal);
    const network = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    expect(sourceReadError(network, 'the source', 'x')).toBe(network);
  });
});
