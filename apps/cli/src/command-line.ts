import { parseArgs } from 'node:util';
import leven from 'leven';
import { postgresUrlProblem } from '@app/config';
import { DbCopyError } from '@app/db-copy';

export const USAGE = `Usage:
  db:copy   --from <sqlite file> [--to <postgres url>] [--truncate] [--on-invalid=fail|null]
            [--force] [--dry-run] [--json]
  db:verify --from <sqlite file> [--to <postgres url>] [--json]
The target defaults to the configured PostgreSQL (DB_TYPE=postgres with DATABASE_URL or POSTGRES_*).
Exit codes: 0 done and verified, 1 refused or differences found, 2 bad input or environment.`;

/** Flags that only mean something to db:copy: db:verify refuses them rather than ignore them. */
const COPY_ONLY = ['truncate', 'force', 'on-invalid', 'dry-run'] as const;

export interface CommandLine {
  command: 'db:copy' | 'db:verify';
  from: string;
  /** Undefined: the configured database. */
  to?: string;
  truncate: boolean;
  force: boolean;
  onInvalid: 'fail' | 'null';
  dryRun: boolean;
  json: boolean;
}

/** Bad usage (exit 2): the text output adds the usage after the message; --json's error does not. */
export class UsageError extends DbCopyError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  // No defaults for the copy-only flags: db:verify must see whether they were given.
  truncate: { type: 'boolean' },
  force: { type: 'boolean' },
  'on-invalid': { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The one option `given` (`--trunc`) was most likely meant as: a prefix, or a close misspelling. */
function meant(given: string): string | undefined {
  const name = given.replace(/^-+/, '').toLowerCase();
  const names = Object.keys(OPTIONS);
  const prefixed = name.length >= 3 ? names.filter((n) => n.startsWith(name)) : [];
  if (prefixed.length === 1) return prefixed[0];
  // One typo in a short name, two from six characters on: `-x` is not taken for `--to`.
  const allowed = Math.min(2, Math.max(1, Math.floor(name.length / 3)));
  const close = names.filter((n) => leven(name, n) <= allowed);
  return close.length === 1 ? close[0] : undefined;
}

/**
 * parseArgs's message, made whole: its unknown-option text ends in advice about positional
 * arguments with an unclosed quote (`as in '-- "--trunc"`), which this command line, whose one
 * positional is the command, has no use for. The others ("Option '--from <value>' argument
 * missing", "Option '--truncate' does not take an argument") are kept.
 */
function parseArgsMessage(error: Error): string {
  const unknown = /^Unknown option '([^']*)'/.exec(error.message);
  if (!unknown) return error.message;
  const suggestion = meant(unknown[1]);
  return `Unknown option '${unknown[1]}'${suggestion ? ` (did you mean --${suggestion}?)` : ''}`;
}

/** What a repeated option's message asks for. */
const ONCE: Record<string, string> = { from: 'give one source', to: 'give one target' };

/**
 * An option that takes a value, given twice: parseArgs keeps the last, so `--from a --from b`
 * would copy b alone. Refused without echoing either value (a --to holds a password).
 */
function refuseRepeatedValues(tokens: { kind: string; name?: string; value?: unknown }[]): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    const name = token.name!;
    if (seen.has(name)) {
      throw new UsageError(`--${name} is given twice: ${ONCE[name] ?? 'give it once'}`);
    }
    seen.add(name);
  }
}

/** The parsed arguments, or undefined for --help; throws a usage error (exit 2) otherwise. */
export function parseCommandLine(argv: string[]): CommandLine | undefined {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS, tokens: true });
  } catch (error) {
    // Unknown option, missing value, a value given to a boolean flag (`--truncate=yes`).
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS_')) throw new UsageError(parseArgsMessage(error as Error));
    throw error;
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) return undefined;
  refuseRepeatedValues(tokens);
  const [command, ...extra] = positionals;
  // A stray argument is not echoed: it may be a piece of a password, as an unquoted `--to` URL
  // holding a space arrives (`--to postgres://app:correct horse@db/app`).
  const notShown =
    'not shown: it may be part of a value that holds a space, such as a --to URL, which must be quoted';
  if (command === undefined) throw new UsageError('No command: expected db:copy or db:verify');
  if (command !== 'db:copy' && command !== 'db:verify') {
    throw new UsageError(`Unknown command (${notShown}): expected db:copy or db:verify`);
  }
  if (extra.length > 0) throw new UsageError(`Unexpected argument after ${command} (${notShown})`);
  if (command === 'db:verify') {
    const given = COPY_ONLY.filter((flag) => values[flag] !== undefined);
    if (given.length > 0) {
      throw new UsageError(`--${given[0]} is a db:copy flag; db:verify takes none`);
    }
  }
  if (!values.from) throw new UsageError('--from <sqlite file> is required');
  const onInvalid = values['on-invalid'] ?? 'fail';
  if (onInvalid !== 'fail' && onInvalid !== 'null') {
    throw new UsageError('--on-invalid must be fail or null');
  }
  if (values.to !== undefined) {
    const problem = postgresUrlProblem(values.to);
    // A bad value, not a bad command line: the usage would not help.
    if (problem) throw new DbCopyError(`--to: ${problem}`, 2);
  }
  return {
    command,
    from: values.from,
    to: values.to,
    truncate: values.truncate ?? false,
    force: values.force ?? false,
    onInvalid,
    dryRun: values['dry-run'] ?? false,
    json: values.json,
  };
}
