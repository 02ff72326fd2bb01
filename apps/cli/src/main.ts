import './sqlite-uri';
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@app/config';
import { copyDatabase, DbCopyError, maskUrl, verifyDatabase } from '@app/db-copy';
import { printCopyReport, printVerifyReport } from './print-report';
import { createReporter } from './progress-reporter';

const USAGE = `Usage:
  db:copy   --from <sqlite file> [--to <postgres url>] [--truncate] [--on-invalid=fail|null]
            [--force] [--dry-run] [--json]
  db:verify --from <sqlite file> [--to <postgres url>] [--json]
The target defaults to the configured PostgreSQL (DATABASE_URL or POSTGRES_*).
Exit codes: 0 done and verified, 1 refused or differences found, 2 bad input or environment.`;

function targetUrl(to: string | undefined): string {
  if (to) return to;
  let database;
  try {
    database = loadConfig().database;
  } catch (error) {
    if (error instanceof ConfigError) throw new DbCopyError(error.message, 2);
    throw error;
  }
  if (database.type !== 'postgres') {
    throw new DbCopyError('No target: pass --to <postgres url> or configure DB_TYPE=postgres', 2);
  }
  return database.url;
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      truncate: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'on-invalid': { type: 'string', default: 'fail' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help) return (console.log(USAGE), 0);
  if (command !== 'db:copy' && command !== 'db:verify') {
    throw new DbCopyError(`Unknown command ${command ?? '(none)'}\n${USAGE}`, 2);
  }
  if (!values.from) throw new DbCopyError(`--from <sqlite file> is required\n${USAGE}`, 2);
  const onInvalid = values['on-invalid'];
  if (onInvalid !== 'fail' && onInvalid !== 'null') {
    throw new DbCopyError('--on-invalid must be fail or null', 2);
  }
  const to = targetUrl(values.to);
  const json = values.json;

  if (command === 'db:verify') {
    const report = await verifyDatabase({ from: values.from, to });
    if (json) console.log(JSON.stringify(report, null, 2));
    else printVerifyReport(report);
    return report.match ? 0 : 1;
  }
  const reporter = createReporter(json ? 'json' : process.stdout.isTTY ? 'tty' : 'plain');
  try {
    const report = await copyDatabase({
      from: values.from,
      to,
      truncate: values.truncate,
      force: values.force,
      onInvalid,
      dryRun: values['dry-run'],
      reporter,
    });
    reporter.stop();
    if (json) console.log(JSON.stringify(report, null, 2));
    else printCopyReport(report);
    const sequencesOk = report.sequences.every((s) => s.ok);
    return report.verification.every((t) => t.match) && sequencesOk ? 0 : 1;
  } finally {
    reporter.stop();
  }
}

function fail(error: unknown, json: boolean): number {
  const known = error instanceof DbCopyError;
  const message = (error as Error)?.message ?? String(error);
  const safe = message.replace(/postgres(ql)?:\/\/\S+/g, (url) => maskUrl(url));
  if (json) {
    const details = known ? error.details : [];
    console.log(JSON.stringify({ ok: false, error: safe, details }, null, 2));
  } else console.error(`${known ? 'Error' : 'Failed'}: ${safe}`);
  return known ? error.exitCode : 1;
}

const argv = process.argv.slice(2);
run(argv).then(
  (code) => (process.exitCode = code),
  (error) => (process.exitCode = fail(error, argv.includes('--json'))),
);
