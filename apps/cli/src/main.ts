import './sqlite-uri';
import 'reflect-metadata';
import { ConfigError, HostSource, loadConfig, SqliteConfig } from '@app/config';
import { copyDatabase, CopyStage, DbCopyError, maskUrl, verifyDatabase } from '@app/db-copy';
import { parseCommandLine, USAGE, UsageError } from './command-line';
import { formatPostgresErrorFields, postgresErrorFields } from './postgres-error-fields';
import { printCopyReport, printVerifyReport } from './print-report';
import { createReporter } from './progress-reporter';
import {
  interruptedMessage,
  onTerminationSignal,
  TerminationSignal,
  verifyInterruptedMessage,
} from './termination-signals';

/** The target: --to, else the configured PostgreSQL; and where its host came from. */
function target(to: string | undefined): { url: string; hostSource: HostSource } {
  if (to) return { url: to, hostSource: '--to' };
  let database;
  try {
    database = loadConfig().database;
  } catch (error) {
    if (error instanceof ConfigError) throw new DbCopyError(error.message, 2);
    throw error;
  }
  if (database.type !== 'postgres') throw new DbCopyError(noTargetMessage(database), 2);
  return { url: database.url, hostSource: database.hostVariable };
}

/** Names the PostgreSQL variables that DB_TYPE leaves unused, if any: never their values. */
function noTargetMessage({ unusedPostgresVariables: unused = [] }: SqliteConfig): string {
  if (unused.length === 0) {
    return 'No target: pass --to <postgres url> or configure DB_TYPE=postgres';
  }
  const names =
    unused.length === 1 ? unused[0] : `${unused.slice(0, -1).join(', ')} and ${unused.at(-1)}`;
  return (
    `No target: ${names} ${unused.length === 1 ? 'is' : 'are'} set but DB_TYPE is not postgres: ` +
    'set DB_TYPE=postgres or pass --to <postgres url>'
  );
}

/**
 * Until the returned function is called, SIGINT and SIGTERM say what the run leaves (`message`,
 * on stderr, and as stdout's one JSON object with --json), after `before`, then exit 130 or 143.
 */
function reportInterruption(
  json: boolean,
  message: (signal: TerminationSignal) => string,
  before?: () => void,
): () => void {
  return onTerminationSignal((signal) => {
    before?.();
    const text = message(signal);
    console.error(text);
    if (json) console.log(JSON.stringify({ ok: false, error: text, details: [] }, null, 2));
  });
}

async function run(argv: string[]): Promise<number> {
  const options = parseCommandLine(argv);
  if (!options) return (console.log(USAGE), 0);
  const { url: to, hostSource: toHostSource } = target(options.to);
  const json = options.json;

  if (options.command === 'db:verify') {
    const stopHandlingSignals = reportInterruption(json, verifyInterruptedMessage);
    let report;
    try {
      report = await verifyDatabase({ from: options.from, to, toHostSource });
    } finally {
      stopHandlingSignals();
    }
    if (json) console.log(JSON.stringify({ ok: report.match, ...report }, null, 2));
    else printVerifyReport(report);
    return report.match ? 0 : 1;
  }
  const reporter = createReporter(json ? 'json' : process.stdout.isTTY ? 'tty' : 'plain');
  let stage: CopyStage = { name: 'checking' };
  // Rolled back or committed: say which.
  const stopHandlingSignals = reportInterruption(
    json,
    (signal) => interruptedMessage(signal, stage),
    () => reporter.stop(),
  );
  let report;
  try {
    report = await copyDatabase({
      from: options.from,
      to,
      toHostSource,
      truncate: options.truncate,
      force: options.force,
      onInvalid: options.onInvalid,
      dryRun: options.dryRun,
      reporter,
      onStage: (next) => (stage = next),
      // stdout carries the JSON report alone.
      typeormLog: json ? (message) => console.error(message) : undefined,
    });
  } finally {
    stopHandlingSignals();
    reporter.stop();
  }
  // `ok` is the report's first key.
  if (json) console.log(JSON.stringify(report, null, 2));
  else printCopyReport(report);
  return report.ok ? 0 : 1;
}

function fail(thrown: unknown, json: boolean): number {
  // pg and TypeORM percent-decode URLs deep inside a connection attempt. The command line and
  // the configuration are checked first; this catches any other way a bad URL gets there.
  const error =
    thrown instanceof URIError
      ? new DbCopyError('A PostgreSQL URL is not valid (malformed percent-encoding)', 2)
      : thrown;
  const known = error instanceof DbCopyError;
  const mask = (text: string) => text.replace(/postgres(ql)?:\/\/\S+/g, (url) => maskUrl(url));
  const safe = mask((error as Error)?.message ?? String(error));
  const postgres = postgresErrorFields(error, mask);
  if (json) {
    const details = known ? error.details : [];
    console.log(JSON.stringify({ ok: false, error: safe, details, postgres }, null, 2));
  } else {
    const more = postgres ? formatPostgresErrorFields(postgres) : '';
    console.error(`${known ? 'Error' : 'Failed'}: ${safe}${more}`);
    if (error instanceof UsageError) console.error(USAGE);
  }
  return known ? error.exitCode : 1;
}

const argv = process.argv.slice(2);
run(argv).then(
  (code) => (process.exitCode = code),
  (error) => (process.exitCode = fail(error, argv.includes('--json'))),
);
