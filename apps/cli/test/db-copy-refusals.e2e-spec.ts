import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openTargetDataSource } from '../../../libs/db-copy/src/target-database';
import { converterFor } from '../../../libs/db-copy/src/value-converters';
import { freshDatabaseEnv } from '../../../tools/testing/test-api';
import { cloneSqlite, pgCounts, runCli, spawnCli, sqliteCounts, withPg } from './cli';
import { copyCommand, createSource, withoutMigrationNote } from './db-copy-source';

jest.setTimeout(180_000);

describe('db:copy refusals', () => {
  let sqlitePath: string;

  beforeAll(async () => {
    sqlitePath = (await createSource()).SQLITE_PATH;
  });

  it('names a source this user may not read, not "Source not found" or the immutable=1 fallback', async () => {
    // Root reads anything: as root, the CLI runs as nobody.
    const as = process.getuid!() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    const uid = as?.uid ?? process.getuid!();
    const dir = mkdtempSync(join(tmpdir(), 'db-copy-unreadable-'));
    chmodSync(dir, 0o755);
    const file = join(dir, 'app.sqlite');
    copyFileSync(sqlitePath, file);
    chmodSync(file, 0o000);
    const folder = join(dir, 'private');
    mkdirSync(folder);
    const inFolder = join(folder, 'app.sqlite');
    copyFileSync(sqlitePath, inFolder);
    chmodSync(folder, 0o000);
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const advice = ': run as a user who may read it, or change its permissions.\n';
    try {
      for (const command of ['db:copy', 'db:verify']) {
        const unreadable = await spawnCli([command, '--from', file, '--to', url], {}, as).result;
        expect({ command, code: unreadable.code, stderr: unreadable.stderr }).toEqual({
          command,
          code: 2,
          stderr:
            `Error: Cannot read the source ${file} as uid ${uid} (the file's owner is ` +
            `uid ${statSync(file).uid}, mode 0000)${advice}`,
        });
        const hidden = await spawnCli([command, '--from', inFolder, '--to', url], {}, as).result;
        expect({ command, code: hidden.code, stderr: hidden.stderr }).toEqual({
          command,
          code: 2,
          stderr:
            `Error: Cannot read the source ${inFolder} as uid ${uid} (EACCES: permission denied, ` +
            `stat '${inFolder}': a folder on its path may not be searched)${advice}`,
        });
      }
      expect(await pgCounts(url)).toEqual({
        projects: null,
        tags: null,
        tasks: null,
        task_tags: null,
      });
    } finally {
      chmodSync(folder, 0o755);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names why a source path cannot be looked up (a file used as a folder), not "Source not found"', async () => {
    const throughFile = join(sqlitePath, 'app.sqlite');
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    for (const command of ['db:copy', 'db:verify']) {
      const result = await runCli(command, '--from', throughFile, '--to', url);
      expect({ command, code: result.code, stderr: result.stderr }).toEqual({
        command,
        code: 2,
        stderr: `Error: Cannot open the source ${throughFile} (ENOTDIR: not a directory, stat '${throughFile}')\n`,
      });
    }
  });

  it('refuses orphan rows before writing anything', async () => {
    const path = cloneSqlite(sqlitePath, 'orphans');
    const db = new Database(path);
    db.pragma('foreign_keys = OFF');
    db.prepare(`INSERT INTO task_tags ("taskId", "tagId") VALUES (10, 777)`).run();
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const result = await copyCommand(path, url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('task_tags rowid=');
    expect(result.stderr).toContain('missing tags (tagId=777)');
    expect(Object.values(await pgCounts(url)).every((n) => !n)).toBe(true);
  });

  it('refuses a source that fails integrity_check; the target keeps no rows', async () => {
    const path = cloneSqlite(sqlitePath, 'corrupt');
    // One byte of an index entry changed in the file (a year in IDX_tasks_createdAt_id): the
    // file opens and its tables read fine; only integrity_check (run after the load, while
    // PostgreSQL rebuilds indexes, before COMMIT) sees that the index no longer matches.
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    const index = 'IDX_tasks_createdAt_id';
    const { rootpage } = db
      .prepare(`SELECT rootpage FROM sqlite_master WHERE name = ?`)
      .get(index) as { rootpage: number };
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const createdAt = db.prepare('SELECT createdAt FROM tasks LIMIT 1').pluck().get() as string;
    db.close();
    const file = readFileSync(path);
    const page = file.subarray((rootpage - 1) * pageSize, rootpage * pageSize);
    const at = page.indexOf(createdAt);
    expect(at).toBeGreaterThan(0);
    page[at + 1] = page[at + 1] === 0x39 ? 0x38 : 0x39;
    writeFileSync(path, file);
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    // The dry run runs integrity_check too (README), and refuses the same way.
    const dry = await copyCommand(path, url, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('integrity_check failed; nothing was copied');
    expect(dry.stderr).toContain('IDX_tasks_createdAt_id');
    const result = await copyCommand(path, url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('integrity_check failed; nothing was copied');
    expect(result.stderr).toContain('IDX_tasks_createdAt_id');
    expect(result.stdout).not.toContain('Committed');
    expect(Object.values(await pgCounts(url)).every((n) => !n)).toBe(true);
  });

  it('rolls back, releases its locks and exits 1 when reading a source row fails mid-copy', async () => {
    // A task whose notes span a chain of overflow pages; one link of the chain is made to point
    // past the end of the file. Everything before the copy reads only the rows' first bytes
    // (counts, foreign_key_check), so the read fails inside the copy loop with SQLITE_CORRUPT.
    const path = cloneSqlite(sqlitePath, 'overflow');
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.prepare(
      `INSERT INTO tasks (id, projectId, title, searchKey, notes, createdAt, updatedAt) VALUES (800, 4, 'long', 'long', ?, '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`,
    ).run('x'.repeat(40_000));
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const file = readFileSync(path);
    const pages = file.length / pageSize;
    const overflow = Array.from({ length: pages }, (_, i) => i).find((i) => {
      const page = file.subarray(i * pageSize, (i + 1) * pageSize);
      const next = page.readUInt32BE(0);
      return next > 1 && next <= pages && page.subarray(4).every((byte) => byte === 0x78);
    });
    expect(overflow).toBeDefined();
    file.writeUInt32BE(0x0fffffff, overflow! * pageSize);
    writeFileSync(path, file);

    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const { child, result } = spawnCli(['db:copy', '--from', path, '--to', url]);
    const hung = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const failed = await result;
    clearTimeout(hung);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^Error: Reading tasks from the source failed \(SQLITE_CORRUPT.*nothing was written/,
    );
    expect(failed.stdout).not.toContain('Committed');
    expect(await pgCounts(url)).toEqual({ projects: 0, tags: 0, tasks: 0, task_tags: 0 });
    await withPg(url, async (c) => {
      const { rows } = await c.query(
        `SELECT a.pid, l.mode, l.relation::regclass::text AS relation
           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()`,
      );
      expect(rows).toEqual([]);
    });
  });

  it('names a source that cannot be read before the copy, dry run and db:verify alike', async () => {
    // The root page of tasks (a leaf: the fixture's tasks fit on one page) gets an invalid page
    // type: the file opens, and the first read of tasks (foreign_key_check, before anything is
    // written; db:verify's scan) fails with SQLITE_CORRUPT.
    const path = cloneSqlite(sqlitePath, 'corrupt-page');
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    const root = db
      .prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'tasks'`)
      .pluck()
      .get();
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const file = readFileSync(path);
    file[((root as number) - 1) * pageSize] = 0x42;
    writeFileSync(path, file);
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const reading = (outcome: string) =>
      'Error: Reading the source failed (SQLITE_CORRUPT: database disk image is malformed); ' +
      `${outcome}. Check the file with PRAGMA integrity_check.\n`;
    for (const flags of [['--dry-run'], []]) {
      const result = await copyCommand(path, url, ...flags);
      expect({ flags, code: result.code, stderr: result.stderr }).toEqual({
        flags,
        code: 1,
        stderr: reading('nothing was written'),
      });
    }
    const target = await openTargetDataSource(url);
    await target.runMigrations(); // db:verify reads the source once the target is migrated
    await target.destroy();
    const verify = await runCli('db:verify', '--from', path, '--to', url);
    expect({ code: verify.code, stderr: verify.stderr }).toEqual({
      code: 1,
      stderr: reading('nothing was changed (db:verify only reads)'),
    });
  });

  it('reports unconvertible values, or writes NULL with --on-invalid=null', async () => {
    const path = cloneSqlite(sqlitePath, 'invalid');
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO tasks (id, projectId, title, searchKey, dueAt, metadata, createdAt, updatedAt) VALUES (?, 4, 'bad', 'bad', ?, ?, '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`,
    );
    insert.run(900, '', null);
    insert.run(901, '2024-02-30 10:00', '{"unterminated": ');
    insert.run(902, null, Infinity); // how SQLite stores the REAL 1e400
    insert.run(903, null, '{"n": 1.0e-16383}');
    insert.run(904, null, '['.repeat(5000) + ']'.repeat(5000)); // deeper than json() reads
    insert.run(905, 0, null); // an app's "no date"
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const failed = await copyCommand(path, url);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('tasks id=900 column dueAt: not a date/time, value ""');
    expect(failed.stderr).toContain('tasks id=901 column metadata: invalid JSON');
    expect(failed.stderr).toContain('tasks id=902 column metadata: not a finite number');
    expect(failed.stderr).toContain(
      "tasks id=903 column metadata: JSON number 1.0e-16383 is beyond PostgreSQL's numeric range",
    );
    expect(failed.stderr).toContain(
      "tasks id=904 column metadata: JSON nested deeper than 1000 levels (SQLite's json() refuses it too)",
    );
    expect(failed.stderr).toContain(
      'tasks id=905 column dueAt: 0, which apps store for "no date", is not taken for 1970-01-01T00:00:00Z',
    );
    expect((await pgCounts(url)).tasks).toBe(0);

    const nulled = await copyCommand(path, url, '--on-invalid=null');
    expect(nulled.code).toBe(0);
    expect(nulled.stdout).toContain('Set to NULL: tasks id=901 column dueAt');
    await withPg(url, async (c) => {
      const { rows } = await c.query(
        `SELECT "dueAt", metadata FROM tasks WHERE id IN (900, 901, 902, 903, 904, 905) ORDER BY id`,
      );
      expect(rows).toEqual([
        { dueAt: null, metadata: null },
        { dueAt: null, metadata: null },
        { dueAt: null, metadata: null },
        { dueAt: null, metadata: null },
        { dueAt: null, metadata: null },
        { dueAt: null, metadata: null },
      ]);
    });
  });

  it('says which decimals it rounds to the column scale: dry run, copy and db:verify alike', async () => {
    const path = cloneSqlite(sqlitePath, 'rounded');
    const db = new Database(path);
    const setHours = db.prepare('UPDATE tasks SET estimateHours = ? WHERE id = ?');
    setHours.run(1.234, 2); // another tool's value: the API keeps two decimals
    setHours.run(0.1 + 0.2, 3); // arithmetic on a REAL
    setHours.run(2.5, 1);
    db.close();
    const warning =
      'Warning: tasks.estimateHours: 2 source values with more than 2 decimals, rounded as ' +
      'numeric(8,2) stores them (the first: 1.234 as 1.23)';
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const dry = await copyCommand(path, url, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(warning);
    const copy = await copyCommand(path, url);
    expect(copy.code).toBe(0);
    expect(copy.stdout).toContain(warning);
    await withPg(url, async (c) => {
      const { rows } = await c.query(
        `SELECT "estimateHours" FROM tasks WHERE id IN (1, 2, 3) ORDER BY id`,
      );
      expect(rows.map((r) => r.estimateHours)).toEqual(['2.50', '1.23', '0.30']);
    });
    const verify = await runCli('db:verify', '--from', path, '--to', url, '--json');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout).warnings).toContain(warning.replace('Warning: ', ''));
  });

  it("refuses exactly the JSON that PostgreSQL's jsonb refuses, at its limits", async () => {
    const toJson = converterFor({
      name: 'metadata',
      kind: 'json',
      pgType: 'jsonb',
      nullable: true,
    });
    const nines = (n: number) => '9'.repeat(n);
    const texts = [
      ...['1e131071', '1e131072', '-1e131072', '0.1e131072', '99999e131066', '1E+131072'],
      ...['1e-16383', '1e-16384', '1.0e-16383', '10e-16384', '0e999999', '0.000e-20000'],
      ...['0e1073741822', '0e1073741824', '1e999999999999', '1.5e300', '-2E-300'],
      ...[nines(131072), nines(131073), `0.${nines(16383)}`, `0.${nines(16384)}`],
      ...['"\\ud83d"', '"\\ud83d\\ude00"', '"\\u0000"', '"1e999999"'],
    ].map((value) => `{"v": ${value}}`);
    const accepted = async (check: () => unknown) => {
      try {
        await check();
        return true;
      } catch {
        return false;
      }
    };
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    await withPg(url, async (c) => {
      for (const text of texts) {
        const ours = await accepted(() => toJson(text));
        const postgres = await accepted(() => c.query('SELECT $1::jsonb', [text]));
        expect({ text: text.slice(0, 40), accepted: ours }).toEqual({
          text: text.slice(0, 40),
          accepted: postgres,
        });
      }
    });
  });

  it('reports the invalid values of every table in one run, dry run and copy alike', async () => {
    const path = cloneSqlite(sqlitePath, 'invalid-tables');
    const db = new Database(path);
    db.pragma('ignore_check_constraints = ON'); // priority 'abc' is outside BETWEEN 1 AND 5
    db.prepare(`UPDATE projects SET archived = 'maybe' WHERE id = 4`).run();
    db.prepare(`UPDATE tasks SET dueAt = '2023-02-29 10:00' WHERE id = 10`).run();
    db.prepare(`UPDATE tasks SET metadata = '{"unterminated": ' WHERE id = 20`).run();
    db.prepare(`UPDATE tasks SET priority = 'abc' WHERE id = 30`).run();
    db.exec(`UPDATE tasks SET notes = CAST(x'636166e9' AS TEXT) WHERE id = 40`); // 'caf' + 0xE9
    db.close();
    const expected = [
      'projects id=4 column archived: ',
      'tasks id=10 column dueAt: ',
      'tasks id=20 column metadata: invalid JSON',
      'tasks id=30 column priority: ',
      'tasks id=40 column notes: not valid UTF-8',
    ];
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const dry = await copyCommand(path, url, '--dry-run');
    expect(dry.code).toBe(1);
    for (const line of expected) expect(dry.stderr).toContain(`\n  ${line}`);
    const copy = await copyCommand(path, url);
    expect({ code: copy.code, stderr: withoutMigrationNote(copy.stderr) }).toEqual({
      code: 1,
      stderr: dry.stderr,
    });
    expect(await pgCounts(url)).toEqual({ projects: 0, tags: 0, tasks: 0, task_tags: 0 });
  });

  it('names what PostgreSQL refused: detail, where (the COPY line) and the constraint', async () => {
    const path = cloneSqlite(sqlitePath, 'check');
    const db = new Database(path);
    db.pragma('ignore_check_constraints = ON'); // as an old app version or a hand edit could
    db.prepare(`UPDATE tasks SET priority = 9 WHERE id = 30`).run();
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const plain = await copyCommand(path, url);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('violates check constraint "CHK_tasks_priority"');
    expect(plain.stderr).toMatch(/\n {2}detail: Failing row contains \(30, .*\)/);
    expect(plain.stderr).toMatch(/\n {2}where: COPY tasks, line \d+/);
    expect(plain.stderr).toContain('\n  table: tasks\n  constraint: CHK_tasks_priority');
    expect(plain.stderr).not.toMatch(/postgres:\/\/|password/i);
    expect((await pgCounts(url)).tasks).toBe(0);

    const json = await copyCommand(path, url, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: expect.stringContaining('CHK_tasks_priority'),
      postgres: {
        code: '23514',
        detail: expect.stringMatching(/^Failing row contains \(30, /),
        where: expect.stringMatching(/^COPY tasks, line \d+/),
        table: 'tasks',
        constraint: 'CHK_tasks_priority',
      },
    });
  });

  it('the dry run refuses what the copy refuses, and writes nothing', async () => {
    const empty = { projects: null, tags: null, tasks: null, task_tags: null };
    // Another application's projects table: refused before any migration runs.
    const foreign = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    await withPg(foreign, (c) => c.query('CREATE TABLE projects (id int, label text)'));
    const foreignDry = await copyCommand(sqlitePath, foreign, '--dry-run');
    const foreignCopy = await copyCommand(sqlitePath, foreign);
    for (const result of [foreignDry, foreignCopy]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/already has table\(s\) projects, but none of this app's/);
    }
    expect(await pgCounts(foreign)).toEqual({ ...empty, projects: 0 });

    // Values the conversion refuses: every value is converted in the dry run too.
    const path = cloneSqlite(sqlitePath, 'nul');
    const db = new Database(path);
    db.prepare(`UPDATE tasks SET title = 'a' || char(0) || 'b' WHERE id = 40`).run();
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const dry = await copyCommand(path, url, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('tasks id=40 column title: contains a NUL character');
    expect(await pgCounts(url)).toEqual(empty); // not even migrated
    const copy = await copyCommand(path, url);
    expect({ code: copy.code, stderr: withoutMigrationNote(copy.stderr) }).toEqual({
      code: 1,
      stderr: dry.stderr,
    });

    const nullable = cloneSqlite(sqlitePath, 'nul-notes');
    const notes = new Database(nullable);
    notes.prepare(`UPDATE tasks SET notes = 'a' || char(0) WHERE id = 40`).run();
    notes.close();
    const fresh = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const nulled = await copyCommand(nullable, fresh, '--dry-run', '--on-invalid=null');
    expect(nulled.code).toBe(0);
    expect(nulled.stdout).toContain(
      'Would set to NULL: tasks id=40 column notes: contains a NUL character',
    );
    expect(await pgCounts(fresh)).toEqual(empty);
  });

  it('--on-invalid=null still refuses an unconvertible value in a NOT NULL column, dry run and copy alike', async () => {
    const path = cloneSqlite(sqlitePath, 'nul-title');
    const db = new Database(path);
    db.prepare(`UPDATE tasks SET title = 'a' || char(0) || 'b' WHERE id = 40`).run();
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const refusal = 'tasks id=40 column title: contains a NUL character (NOT NULL column)';
    const dry = await copyCommand(path, url, '--dry-run', '--on-invalid=null');
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain(refusal);
    expect(dry.stdout).not.toContain('Would set to NULL');
    const copy = await copyCommand(path, url, '--on-invalid=null');
    expect({ code: copy.code, stderr: withoutMigrationNote(copy.stderr) }).toEqual({
      code: 1,
      stderr: dry.stderr,
    });
    expect(await pgCounts(url)).toEqual({ projects: 0, tags: 0, tasks: 0, task_tags: 0 });
  });

  it("refuses, before writing, a next id past what the target's integer sequence holds", async () => {
    // SQLite's ids are 64-bit: the highest int4 id in use, and a mark left by deleted rows.
    const path = cloneSqlite(sqlitePath, 'next-id');
    const db = new Database(path);
    db.prepare(`INSERT INTO tags (id, name, nameKey) VALUES (2147483647, 'last', 'last')`).run();
    db.prepare(`UPDATE sqlite_sequence SET seq = 3000000000 WHERE name = 'projects'`).run();
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const dry = await copyCommand(path, url, '--dry-run');
    expect(dry.stderr).toBe(
      "Error: The target's id sequences cannot continue where SQLite's ids do; nothing was " +
        'written:\n' +
        "  projects.id: SQLite's next id is 3000000001 (sqlite_sequence 3000000000), past the " +
        'largest integer PostgreSQL can hand out there (2147483647)\n' +
        "  tags.id: SQLite's next id is 2147483648 (sqlite_sequence 2147483647), past the " +
        'largest integer PostgreSQL can hand out there (2147483647)\n',
    );
    expect(dry.code).toBe(1);
    const copy = await copyCommand(path, url);
    expect({ code: copy.code, stderr: copy.stderr }).toEqual({ code: 1, stderr: dry.stderr });
    expect(await pgCounts(url)).toEqual({
      projects: null,
      tags: null,
      tasks: null,
      task_tags: null,
    });
  });

  it('reports at most 20 rows with refused values per table, dry run and copy alike', async () => {
    const path = cloneSqlite(sqlitePath, 'many-invalid');
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO tasks (id, projectId, title, searchKey, dueAt, createdAt, updatedAt) VALUES (?, 4, 'bad', 'bad', 'never', '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`,
    );
    db.transaction(() => {
      for (let id = 900; id < 925; id++) insert.run(id);
    })();
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const reported = (stderr: string) => stderr.match(/^ {2}tasks id=9\d\d column dueAt: /gm) ?? [];
    const dry = await copyCommand(path, url, '--dry-run');
    expect(dry.code).toBe(1);
    expect(reported(dry.stderr)).toHaveLength(20);
    const copy = await copyCommand(path, url);
    expect({ code: copy.code, stderr: withoutMigrationNote(copy.stderr) }).toEqual({
      code: 1,
      stderr: dry.stderr,
    });
    expect((await pgCounts(url)).tasks).toBe(0);
  });

  it('--on-invalid=null names the first 20 values it sets to NULL per table and counts them all, dry run and copy alike', async () => {
    // A "no date" of 0 in every row is common: one line (and one object held) per row would
    // print and hold as many as the table has rows.
    const path = cloneSqlite(sqlitePath, 'many-nulled');
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO tasks (id, projectId, title, searchKey, dueAt, createdAt, updatedAt) VALUES (?, 4, 'no date', 'no date', 0, '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`,
    );
    db.transaction(() => {
      for (let id = 900; id < 945; id++) insert.run(id);
    })();
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const named = (stdout: string, verb: string) =>
      stdout.match(new RegExp(`^${verb} to NULL: tasks id=9\\d\\d column dueAt: `, 'gm')) ?? [];
    const total = 'to NULL: 45 values in all (the first 20 of each table are named above)';
    const dry = await copyCommand(path, url, '--dry-run', '--on-invalid=null');
    expect(dry.code).toBe(0);
    expect(named(dry.stdout, 'Would set')).toHaveLength(20);
    expect(dry.stdout).toContain(`Would set ${total}`);
    const copy = await copyCommand(path, url, '--on-invalid=null');
    expect(copy.code).toBe(0);
    expect(named(copy.stdout, 'Set')).toHaveLength(20);
    expect(copy.stdout).toContain(`Set ${total}`);
    const json = await copyCommand(path, url, '--on-invalid=null', '--truncate', '--json');
    const report = JSON.parse(json.stdout);
    expect({ invalid: report.invalid.length, nulledValues: report.nulledValues }).toEqual({
      invalid: 20,
      nulledValues: 45,
    });
    await withPg(url, async (c) => {
      const { rows } = await c.query(`SELECT count(*)::int AS n FROM tasks WHERE id >= 900`);
      expect(rows).toEqual([{ n: 45 }]);
    });
  });

  it('--on-invalid=null counts only refused rows toward the cap of 20, not values it sets to NULL', async () => {
    // 25 rows whose "no date" 0 becomes NULL come first; then 25 whose title (NOT NULL) is refused.
    const path = cloneSqlite(sqlitePath, 'nulled-then-refused');
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO tasks (id, projectId, title, searchKey, dueAt, createdAt, updatedAt) VALUES (?, 4, ?, 'x', ?, '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`,
    );
    db.transaction(() => {
      for (let id = 900; id < 925; id++) insert.run(id, 'no date', 0);
      for (let id = 950; id < 975; id++) insert.run(id, 'a\0b', null);
    })();
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const refused = (stderr: string) =>
      stderr.match(
        /^ {2}tasks id=9[5-7]\d column title: contains a NUL character \(NOT NULL column\)/gm,
      ) ?? [];
    const dry = await copyCommand(path, url, '--dry-run', '--on-invalid=null');
    expect(dry.code).toBe(1);
    expect(refused(dry.stderr)).toHaveLength(20);
    const copy = await copyCommand(path, url, '--on-invalid=null');
    expect({ code: copy.code, stderr: withoutMigrationNote(copy.stderr) }).toEqual({
      code: 1,
      stderr: dry.stderr,
    });
    expect((await pgCounts(url)).tasks).toBe(0);
  });

  it('reports an invalid value early in a large table as the dry run does (the rest is not held)', async () => {
    // 540 MB of text after the refused row: more than a JavaScript string can hold.
    const path = cloneSqlite(sqlitePath, 'large');
    try {
      const db = new Database(path);
      db.prepare(`UPDATE projects SET name = 'a' || char(0) || 'b' WHERE id = 4`).run();
      const insert = db.prepare(
        `INSERT INTO projects (id, name, nameKey, description, archived, createdAt, updatedAt) VALUES (?, ?, ?, ?, 0, '2024-03-01 12:00:00.000', '2024-03-01 12:00:00.000')`,
      );
      const description = 'x'.repeat(2_000_000);
      db.transaction(() => {
        for (let id = 1000; id < 1270; id++)
          insert.run(id, `Large ${id}`, `large ${id}`, description);
      })();
      db.close();
      const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
      const dry = await copyCommand(path, url, '--dry-run');
      expect(dry.code).toBe(1);
      expect(dry.stderr).toContain('projects id=4 column name: contains a NUL character');
      const copy = await copyCommand(path, url);
      expect({ code: copy.code, stderr: withoutMigrationNote(copy.stderr) }).toEqual({
        code: 1,
        stderr: dry.stderr,
      });
      expect((await pgCounts(url)).projects).toBe(0);
    } finally {
      rmSync(path, { force: true });
    }
  });

  it('refuses TEXT that is not valid UTF-8 (read lossily as U+FFFD), keeps a genuine U+FFFD', async () => {
    const path = cloneSqlite(sqlitePath, 'utf8');
    const db = new Database(path);
    db.exec(`UPDATE tasks SET notes = CAST(x'636166e9' AS TEXT) WHERE id = 20`); // 'caf' + 0xE9
    db.prepare(`UPDATE tasks SET notes = ? WHERE id = 30`).run('kept \uFFFD as written');
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const failed = await copyCommand(path, url);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('tasks id=20 column notes: not valid UTF-8');
    expect(failed.stderr).not.toContain('id=30');
    expect((await pgCounts(url)).tasks).toBe(0);
    // The target's migrations committed before the copy failed: the message says that a rerun
    // works, and the runs below are such reruns.
    expect(failed.stderr).toMatch(
      /The target's migrations ran before the copy and stay \(InitialSchema\d+, .*\); its tables hold no rows of this copy: run db:copy again once the cause is fixed\./,
    );
    // The dry run re-checks the same values.
    const dry = await copyCommand(path, url, '--dry-run');
    expect({ code: dry.code, stderr: dry.stderr }).toEqual({
      code: 1,
      stderr: withoutMigrationNote(failed.stderr),
    });
    const dryNull = await copyCommand(path, url, '--dry-run', '--on-invalid=null');
    expect(dryNull.code).toBe(0);
    expect(dryNull.stdout).toContain(
      'Would set to NULL: tasks id=20 column notes: not valid UTF-8',
    );

    const nulled = await copyCommand(path, url, '--on-invalid=null');
    expect(nulled.code).toBe(0);
    await withPg(url, async (c) => {
      const { rows } = await c.query(
        `SELECT id, notes FROM tasks WHERE id IN (20, 30) ORDER BY id`,
      );
      expect(rows).toEqual([
        { id: 20, notes: null },
        { id: 30, notes: 'kept \uFFFD as written' },
      ]);
    });
    // db:verify sees the invalid bytes too: NULL in the target matches (as the copy wrote it),
    // the lossy text the bytes decode to does not.
    const verified = await runCli('db:verify', '--from', path, '--to', url);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(
      'Warning: tasks id=20 column notes: not valid UTF-8 (db:copy refuses it; counted as NULL)',
    );
    await withPg(url, (c) => c.query(`UPDATE tasks SET notes = 'caf\uFFFD' WHERE id = 20`));
    const lossy = await runCli('db:verify', '--from', path, '--to', url);
    expect(lossy.code).toBe(1);
    expect(lossy.stdout).toContain('first difference: tasks id=20 column notes: source NULL');
  });

  it("refuses an empty file or another application's SQLite file, and does not advise migrating it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'db-copy-foreign-'));
    // A 0-byte file: what opening a wrong path with better-sqlite3 or sqlite3 leaves behind.
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    const foreign = join(dir, 'other.sqlite');
    const other = new Database(foreign);
    other.exec(`CREATE TABLE users (id integer PRIMARY KEY, name text);
                INSERT INTO users (name) VALUES ('not ours')`);
    other.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    for (const [path, what] of [
      [empty, 'an empty database, without any table'],
      [foreign, 'its tables: users'],
    ]) {
      for (const [command, ...flags] of [['db:copy'], ['db:copy', '--dry-run'], ['db:verify']]) {
        const result = await runCli(command, '--from', path, '--to', url, ...flags);
        expect({ command, flags, code: result.code, stderr: result.stderr }).toEqual({
          command,
          flags,
          code: 2,
          stderr:
            `Error: The source ${path} holds none of this app's migrations (${what}): it is not ` +
            'a database the app created. Check --from (the file the app uses, its SQLITE_PATH); ' +
            'nothing was written.\n',
        });
      }
    }
    expect(statSync(empty).size).toBe(0);
    expect(await pgCounts(url)).toEqual({
      projects: null,
      tags: null,
      tasks: null,
      task_tags: null,
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a source or a target migrated by a newer app version (unknown migrations)', async () => {
    const newer = 'AddTaskColour1899999999999';
    const empty = { projects: null, tags: null, tasks: null, task_tags: null };
    const path = cloneSqlite(sqlitePath, 'newer');
    const db = new Database(path);
    db.prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)').run(1899999999999, newer);
    db.close();
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    for (const [command, ...flags] of [['db:copy'], ['db:copy', '--dry-run'], ['db:verify']]) {
      const result = await runCli(command, '--from', path, '--to', url, ...flags);
      expect({ command, flags, code: result.code }).toEqual({ command, flags, code: 2 });
      expect(result.stderr).toContain(
        `The source has migrations this build does not know (${newer})`,
      );
      expect(result.stderr).toMatch(/newer version of the app/);
    }
    expect(await pgCounts(url)).toEqual(empty); // not even migrated

    const target = await openTargetDataSource(url);
    await target.runMigrations();
    await target.query('INSERT INTO migrations (timestamp, name) VALUES ($1, $2)', [
      1899999999999,
      newer,
    ]);
    await target.destroy();
    for (const [command, ...flags] of [['db:copy'], ['db:copy', '--dry-run'], ['db:verify']]) {
      const started = Date.now();
      const result = await runCli(command, '--from', sqlitePath, '--to', url, ...flags);
      // No connection left open keeps it alive once refused (pg's pool would for 10 s).
      const prompt = Date.now() - started < 5000;
      expect({ command, flags, code: result.code, prompt }).toEqual({
        command,
        flags,
        code: 2,
        prompt: true,
      });
      expect(result.stderr).toContain(
        `The target has migrations this build does not know (${newer})`,
      );
      expect(result.stderr).toMatch(/newer version of the app/);
    }
    expect(await pgCounts(url)).toEqual({ projects: 0, tags: 0, tasks: 0, task_tags: 0 });
  });

  it("refuses a target that holds rows before migrating it (an older version's live database)", async () => {
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const target = await openTargetDataSource(url);
    await target.runMigrations({ transaction: 'each' });
    await target.undoLastMigration({ transaction: 'each' });
    await target.undoLastMigration({ transaction: 'each' });
    await target.query(
      `INSERT INTO projects (name, "nameKey", "createdAt", "updatedAt") VALUES ('live', 'live', now(), now())`,
    );
    const applied = async () =>
      (await target.query('SELECT name FROM migrations ORDER BY id')).map((m: any) => m.name);
    const before = await applied();
    expect(before).toHaveLength(2);
    try {
      const refusal =
        'Error: The target already holds rows (projects); nothing was written. Use --truncate ' +
        'to replace them, which also deletes whatever the app has written there since; ' +
        'db:verify says first whether they differ from the source.\n';
      for (const flags of [['--dry-run'], []]) {
        const result = await copyCommand(sqlitePath, url, ...flags);
        expect({ flags, code: result.code, stderr: result.stderr }).toEqual({
          flags,
          code: 1,
          stderr: refusal,
        });
      }
      expect(await applied()).toEqual(before);
    } finally {
      await target.destroy();
    }
  });

  it('says which migrations stay when a later one fails on the target', async () => {
    // A table holding the name of the index the second migration creates: the first commits.
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    await withPg(url, (c) => c.query('CREATE TABLE "IDX_tasks_createdAt_id" (id int)'));
    const failed = await copyCommand(sqlitePath, url);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^Failed: relation "IDX_tasks_createdAt_id" already exists\nThe target's migrations ran before the copy and stay \(InitialSchema\d+\); its tables hold no rows of this copy/m,
    );
    expect(await pgCounts(url)).toEqual({ projects: 0, tags: 0, tasks: 0, task_tags: 0 });
  });

  it('db:verify refuses a target with pending migrations (exit 2) and leaves it unmigrated', async () => {
    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    for (const flags of [[], ['--json']]) {
      const result = await runCli('db:verify', '--from', sqlitePath, '--to', url, ...flags);
      expect({ flags, code: result.code }).toEqual({ flags, code: 2 });
      const error = flags.length ? JSON.parse(result.stdout).error : result.stderr;
      expect(error).toMatch(/The target is not migrated \(pending: [^)]+\); run db:copy first\./);
    }
    // db:verify only reads: it did not migrate the target either.
    expect(await pgCounts(url)).toEqual({
      projects: null,
      tags: null,
      tasks: null,
      task_tags: null,
    });
  });

  it('refuses while another connection holds a write transaction, unless --force', async () => {
    const path = cloneSqlite(sqlitePath, 'writer');
    const writer = new Database(path);
    writer.pragma('journal_mode = WAL');
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare(`UPDATE projects SET description = 'uncommitted' WHERE id = 4`).run();
    try {
      const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
      const refused = await copyCommand(path, url);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/live writer.*miss every later write.*--force/s);
      expect(await pgCounts(url)).toEqual({
        projects: null,
        tags: null,
        tasks: null,
        task_tags: null,
      });

      const forced = await copyCommand(path, url, '--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/Warning: another connection holds a write transaction/);
      expect(await pgCounts(url)).toEqual(sqliteCounts(sqlitePath));
      await withPg(url, async (c) => {
        const { rows } = await c.query(`SELECT description FROM projects WHERE id = 4`);
        expect(rows[0].description).not.toBe('uncommitted'); // the snapshot, not the open write
      });
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('refuses a file with a hot rollback journal (a writer killed mid-transaction)', async () => {
    const path = cloneSqlite(sqlitePath, 'hot-journal');
    const setup = new Database(path);
    setup.pragma('journal_mode = DELETE');
    setup.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
      INSERT INTO tasks (id, projectId, title, searchKey, notes, createdAt, updatedAt)
      SELECT 2000 + i, 4, 'Row ' || i, 'row ' || i, 'committed__', '2024-03-01 12:00:00.000',
             '2024-03-01 12:00:00.000' FROM n`);
    setup.close();
    // A tiny cache makes SQLite write uncommitted pages into the file itself (the -journal keeps
    // the originals); SIGKILL then leaves the file and its hot journal as a crash would. The new
    // notes have the old length, so the pages change in place: read as they are, they look fine.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.pragma('cache_size = 5');
         db.exec('BEGIN');
         db.prepare("UPDATE tasks SET notes = 'uncommitted' WHERE id > 2000").run();
         console.log('written');
         setInterval(() => {}, 1000);`,
        path,
      ],
      { cwd: join(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => writer.stdout!.once('data', () => resolve()));
    writer.kill('SIGKILL');
    await new Promise((resolve) => writer.once('exit', resolve));
    expect(statSync(`${path}-journal`).size).toBeGreaterThan(0);

    const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
    const refused = await copyCommand(path, url);
    expect(refused.stderr).toMatch(
      /hot journal .*-journal\) from an interrupted write.*Open it once with the app or sqlite3.*rolls the journal back/s,
    );
    expect(refused.code).toBe(2);
    expect((await pgCounts(url)).tasks).toBeNull(); // refused before the target was touched

    const rollBack = new Database(path); // what the message advises: a read-write open
    rollBack.prepare('SELECT count(*) FROM tasks').get();
    rollBack.close();
    const copied = await copyCommand(path, url);
    expect(copied.code).toBe(0);
    await withPg(url, async (c) => {
      const { rows } = await c.query(
        `SELECT count(*)::int AS n FROM tasks WHERE notes LIKE 'uncommitted%'`,
      );
      expect(rows[0].n).toBe(0);
    });
  });

  it('reads a WAL-mode file on a read-only mount with immutable=1 (refuses a non-empty -wal)', async () => {
    const base = mkdtempSync(join(tmpdir(), 'db-copy-ro-'));
    const [src, ro] = [join(base, 'src'), join(base, 'ro')];
    mkdirSync(src);
    mkdirSync(ro);
    const path = join(src, 'app.sqlite');
    copyFileSync(sqlitePath, path);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.close(); // a stopped app: WAL mode in the header, no -wal or -shm
    try {
      execFileSync('mount', ['--bind', src, ro], { stdio: 'ignore' });
    } catch {
      console.warn(
        'SKIPPED: mount --bind is not permitted here (the unit tests cover the fallback)',
      );
      rmSync(base, { recursive: true, force: true });
      return;
    }
    try {
      execFileSync('mount', ['-o', 'remount,ro,bind', ro], { stdio: 'ignore' });
      const plain = new Database(join(ro, 'app.sqlite'), { readonly: true, fileMustExist: true });
      expect(() => plain.pragma('schema_version')).toThrow(); // the failure being worked around
      plain.close();
      const url = (await freshDatabaseEnv('postgres')).DATABASE_URL;
      const copied = await runCli('db:copy', '--from', join(ro, 'app.sqlite'), '--to', url);
      expect(copied.stderr).toBe('');
      expect(copied.code).toBe(0);
      expect(copied.stdout).toMatch(/Warning: .*immutable=1.*assumes no process writes/);
      expect(await pgCounts(url)).toEqual(sqliteCounts(sqlitePath));

      // Uncheckpointed rows in a -wal without -shm: immutable=1 would ignore them, so refuse.
      execFileSync('umount', [ro]);
      const writer = new Database(path);
      writer.pragma('wal_autocheckpoint = 0');
      writer.prepare(`UPDATE projects SET description = 'in wal' WHERE id = 4`).run();
      const walCopy = join(base, 'wal');
      mkdirSync(walCopy);
      copyFileSync(path, join(walCopy, 'app.sqlite'));
      copyFileSync(`${path}-wal`, join(walCopy, 'app.sqlite-wal'));
      writer.close();
      execFileSync('mount', ['--bind', walCopy, ro], { stdio: 'ignore' });
      execFileSync('mount', ['-o', 'remount,ro,bind', ro], { stdio: 'ignore' });
      const refused = await runCli(
        'db:copy',
        '--from',
        join(ro, 'app.sqlite'),
        '--to',
        url,
        '--truncate',
      );
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/-wal holds rows not yet checkpointed/);
    } finally {
      execFileSync('umount', [ro], { stdio: 'ignore' });
      rmSync(base, { recursive: true, force: true });
    }
  });
});
