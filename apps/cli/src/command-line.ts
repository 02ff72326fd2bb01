import { parseArgs } from 'node:util';
import { postgresUrlProblem } from '@app/config';
import { DbCopyError } from '@app/db-copy';

export const USAGE = `Usage:
  db:copy   --from <sqlite file> [--to <postgres url>] [--truncate] [--on-invalid=fail|null]
            [--force] [--dry-run] [--json]
  db:verify --from <sqlite file> [--to <postgres url>] [--json]
The target defaults to the configured PostgreSQL (DATABASE_URL or POSTGRES_*).
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

/** Bad usage: exit 2, with the usage text. */
export function usageError(message: string): DbCopyError {
  return new DbCopyError(`${message}\n${USAGE}`, 2);
}

/** The parsed arguments, or undefined for --help; throws a usage error (exit 2) otherwise. */
export function parseCommandLine(argv: string[]): CommandLine | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        // No defaults for the copy-only flags: db:verify must see whether they were given.
        truncate: { type: 'boolean' },
        force: { type: 'boolean' },
        'on-invalid': { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // Unknown option, missing value, a value given to a boolean flag (`--truncate=yes`).
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS_')) throw usageError((error as Error).message);
    throw error;
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  const [command, ...extra] = positionals;
  if (command !== 'db:copy' && command !== 'db:verify') {
    throw usageError(`Unknown command ${command ?? '(none)'}`);
  }
  if (extra.length > 0) throw usageError(`Unexpected argument: ${extra[0]}`);
  if (command === 'db:verify') {
    const given = COPY_ONLY.filter((flag) => values[flag] !== undefined);
    if (given.length > 0) throw usageError(`--${given[0]} is a db:copy flag; db:verify takes none`);
  }
  if (!values.from) throw usageError('--from <sqlite file> is required');
  const onInvalid = values['on-invalid'] ?? 'fail';
  if (onInvalid !== 'fail' && onInvalid !== 'null') {
    throw usageError('--on-invalid must be fail or null');
  }
  if (values.to !== undefined) {
    const problem = postgresUrlProblem(values.to);
    if (problem) throw usageError(`--to: ${problem}`);
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
