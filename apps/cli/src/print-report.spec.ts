import type { CopyReport, TableVerification } from '@app/db-copy';
import { printCopyReport, printVerifyReport } from './print-report';
import { createReporter } from './progress-reporter';

/** What `print` writes with console.log, one entry per line. */
function printed(print: () => void): string[] {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    print();
    return log.mock.calls.map((args) => args.join(' '));
  } finally {
    log.mockRestore();
  }
}

const verified = (table: string, rows: number): TableVerification => ({
  table,
  sourceRows: rows,
  targetRows: rows,
  sourceChecksum: 'c12fa4f2a47c85c4',
  targetChecksum: 'c12fa4f2a47c85c4',
  match: true,
});

const report: CopyReport = {
  ok: true,
  source: 'app.sqlite',
  target: 'postgres://app:***@db:5432/app',
  dryRun: false,
  plan: [],
  warnings: [],
  migrationsApplied: [],
  migrationsPending: [],
  copied: [{ table: 'projects', rows: 1, ms: 5 }],
  invalid: [],
  nulledValues: 0,
  verification: [verified('projects', 1), verified('tags', 2)],
  sequences: [],
  ms: 200,
};

describe('printed counts', () => {
  it('say "1 row" and "1 table", and "rows" for any other number', () => {
    const lines = printed(() => printCopyReport(report));
    expect(lines).toContain('Copied 1 row in 1 table (200 rows/s); total 0.2 s');
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}projects +source 1 row \S+ \| target 1 row \S+ {2}ok$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}tags +source 2 rows \S+ \| target 2 rows \S+ {2}ok$/),
    );
    const two = { ...report, copied: [...report.copied, { table: 'tags', rows: 0, ms: 1 }] };
    expect(printed(() => printCopyReport(two))).toContain(
      'Copied 1 row in 2 tables (167 rows/s); total 0.2 s',
    );
  });

  it('in the dry run plan and in db:verify', () => {
    const plan = [
      { table: 'projects', rows: 1, columns: [] },
      { table: 'tags', rows: 0, columns: [] },
    ];
    const dryRun = printed(() => printCopyReport({ ...report, dryRun: true, plan }));
    expect(dryRun).toContainEqual(expect.stringMatching(/^ {2}projects +1 row$/));
    expect(dryRun).toContainEqual(expect.stringMatching(/^ {2}tags +0 rows$/));
    const verify = printed(() =>
      printVerifyReport({ ...report, match: true, tables: report.verification }),
    );
    expect(verify).toContainEqual(
      expect.stringMatching(/projects +source 1 row \S+ \| target 1 row /),
    );
  });

  it('in the plain progress lines', () => {
    const lines = printed(() => {
      const reporter = createReporter('plain');
      reporter.tableStart?.('projects', 1);
      reporter.tableDone?.('projects', 1, 5);
      reporter.tableStart?.('tags', 2);
    });
    expect(lines).toEqual([
      'projects: copying 1 row',
      'projects: 1 row in 0.0 s (200 rows/s)',
      'tags: copying 2 rows',
    ]);
  });
});

describe('db:verify finding differences', () => {
  it('says what to do next: stop the SQLite app and copy again with --truncate', () => {
    const differs: TableVerification = {
      ...verified('tasks', 52),
      targetRows: 51,
      targetChecksum: '2c72f377e4619e49',
      match: false,
      difference: { key: 'id=53', column: null, source: 'row present', target: '<missing row>' },
    };
    const lines = printed(() =>
      printVerifyReport({ ...report, match: false, tables: [verified('projects', 1), differs] }),
    );
    const last = lines.at(-1)!;
    expect(last).toMatch(/^Differences found: /);
    expect(last).toContain('stop it and run db:copy again with --truncate');
    expect(last).toContain('the PostgreSQL app');
    expect(printed(() => printVerifyReport({ ...report, match: true, tables: [] }))).toEqual([
      'Source app.sqlite ↔ target postgres://app:***@db:5432/app',
      'All tables match.',
    ]);
  });
});
