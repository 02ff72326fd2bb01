import Database from 'better-sqlite3';
import { checkSequenceRanges, readSourceSequences, sourceSequence } from './sequences';
import { TablePlan } from './table-plan';

const plan = (name: string, columns: string[], primaryKey: number[]): TablePlan => ({
  name,
  columns: columns.map((c) => ({ name: c, kind: 'integer', pgType: 'integer', nullable: false })),
  primaryKey,
  sequenceColumns: [columns[0]],
  parents: [],
});

describe('sourceSequence', () => {
  const projects = plan('projects', ['id', 'name'], [0]);
  const marks = new Map([['projects', 600]]);

  it('continues past the AUTOINCREMENT mark when rows above the highest id were deleted', () => {
    expect(sourceSequence(projects, 'id', 500, marks)).toEqual({
      table: 'projects',
      column: 'id',
      autoincrementMark: 600,
      sourceNext: 601,
    });
    expect(sourceSequence(projects, 'id', null, marks).sourceNext).toBe(601); // all deleted
  });

  it('continues past the highest id when that is higher (mark edited, or never written)', () => {
    expect(sourceSequence(projects, 'id', 700, marks).sourceNext).toBe(701);
  });

  it('follows the highest id alone for a table without a mark (no AUTOINCREMENT)', () => {
    expect(sourceSequence(projects, 'id', 500, new Map())).toMatchObject({
      autoincrementMark: null,
      sourceNext: 501,
    });
    expect(sourceSequence(projects, 'id', null, new Map()).sourceNext).toBe(1);
  });

  it("ignores the table's mark for a column that is not the table's rowid", () => {
    const composite = plan('projects', ['seq', 'other'], [0, 1]);
    expect(sourceSequence(composite, 'seq', 5, marks)).toMatchObject({
      autoincrementMark: null,
      sourceNext: 6,
    });
    const notKey = plan('projects', ['seq', 'id'], [1]);
    expect(sourceSequence(notKey, 'seq', 5, marks).sourceNext).toBe(6);
  });
});

describe('readSourceSequences', () => {
  it('reads sqlite_sequence where it exists, and a file without any AUTOINCREMENT table', () => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE plain (id INTEGER PRIMARY KEY, name TEXT)');
      db.exec("INSERT INTO plain VALUES (1, 'a'), (7, 'b')");
      db.exec('DELETE FROM plain WHERE id = 7');
      const plainPlan = plan('plain', ['id', 'name'], [0]);
      expect(readSourceSequences(db, [plainPlan])).toEqual([
        { table: 'plain', column: 'id', autoincrementMark: null, sourceNext: 2 },
      ]);

      db.exec('CREATE TABLE auto (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)');
      db.exec("INSERT INTO auto VALUES (3, 'a'), (600, 'b')");
      db.exec('DELETE FROM auto WHERE id = 600');
      db.exec('CREATE TABLE empty (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)');
      expect(readSourceSequences(db, [plainPlan, plan('auto', ['id', 'name'], [0])])).toEqual([
        { table: 'plain', column: 'id', autoincrementMark: null, sourceNext: 2 },
        { table: 'auto', column: 'id', autoincrementMark: 600, sourceNext: 601 },
      ]);
      expect(readSourceSequences(db, [plan('empty', ['id', 'name'], [0])])).toEqual([
        { table: 'empty', column: 'id', autoincrementMark: null, sourceNext: 1 },
      ]);
    } finally {
      db.close();
    }
  });

  it('reads a mark that another tool wrote as text or REAL as SQLite does (its integer value)', () => {
    const db = new Database(':memory:');
    try {
      const tables = ['text', 'real', 'blob', 'junk'];
      for (const name of tables) {
        db.exec(`CREATE TABLE "${name}" (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)`);
        db.exec(`INSERT INTO "${name}" (id) VALUES (3)`);
      }
      db.exec(`UPDATE sqlite_sequence SET seq = '600' WHERE name = 'text';
               UPDATE sqlite_sequence SET seq = 700.7 WHERE name = 'real';
               UPDATE sqlite_sequence SET seq = CAST('800' AS BLOB) WHERE name = 'blob';
               UPDATE sqlite_sequence SET seq = 'none' WHERE name = 'junk'`);
      const plans = tables.map((name) => plan(name, ['id', 'name'], [0]));
      const next = readSourceSequences(db, plans).map((s) => s.sourceNext);
      // SQLite itself hands out these ids next, never one at or below its mark.
      for (const name of tables) db.exec(`INSERT INTO "${name}" (name) VALUES ('next')`);
      const sqliteNext = tables.map((name) =>
        db.prepare(`SELECT max(id) FROM "${name}"`).pluck().get(),
      );
      expect(next).toEqual([601, 701, 801, 4]);
      expect(next).toEqual(sqliteNext);
    } finally {
      db.close();
    }
  });
});

describe('checkSequenceRanges', () => {
  const typed = (kind: 'smallint' | 'integer' | 'bigint'): TablePlan => ({
    ...plan(kind, ['id'], [0]),
    columns: [{ name: 'id', kind, pgType: kind, nullable: false }],
  });
  const plans = [typed('smallint'), typed('integer'), typed('bigint')];
  const next = (table: string, sourceNext: number, autoincrementMark: number | null = null) => ({
    table,
    column: 'id',
    autoincrementMark,
    sourceNext,
  });

  it("passes a next id up to the largest the target's sequence type hands out, bigint any", () => {
    expect(() =>
      checkSequenceRanges(plans, [
        next('smallint', 32767),
        next('integer', 2147483647, 2147483646),
        next('bigint', 2 ** 53),
      ]),
    ).not.toThrow();
  });

  it('refuses a next id one past the largest, naming the column, the mark and the limit', () => {
    expect(() =>
      checkSequenceRanges(plans, [
        next('smallint', 32768),
        next('integer', 2147483648, 2147483647),
      ]),
    ).toThrow(
      "The target's id sequences cannot continue where SQLite's ids do; nothing was written:\n" +
        "  smallint.id: SQLite's next id is 32768, past the largest smallint PostgreSQL can hand " +
        'out there (32767)\n' +
        "  integer.id: SQLite's next id is 2147483648 (sqlite_sequence 2147483647), past the " +
        'largest integer PostgreSQL can hand out there (2147483647)',
    );
  });
});
