import { basename, dirname } from 'node:path';

/** The TypeORM CLI's options that take a value (the others are flags). */
const OPTIONS_WITH_VALUE = new Set(['-d', '--dataSource', '--data-source', '-t', '--transaction']);

/** `typeorm/cli.js` (or a ts-node variant), or its `node_modules/.bin` link. */
function isTypeormCli(script: string): boolean {
  const name = basename(script);
  return (
    /^typeorm(-ts-node-(commonjs|esm))?$/.test(name) ||
    (basename(dirname(script)) === 'typeorm' && /^cli(-ts-node-(commonjs|esm))?\.js$/.test(name))
  );
}

/**
 * The TypeORM CLI command this process runs (`migration:run`, `query`, ...), as yargs finds it:
 * the first argument that is neither an option nor an option's value, wherever the options are
 * (`cli.js -d ds.ts query "select 1"` and `cli.js query "select 1" -d ds.ts` are both `query`).
 * Undefined when the process is not the TypeORM CLI (a test or a tool importing the data source).
 */
export function typeormCliCommand(argv: readonly string[]): string | undefined {
  if (!isTypeormCli(argv[1] ?? '')) return undefined;
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (OPTIONS_WITH_VALUE.has(args[i])) i++;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}

// Commands that would go around the migrations: schema:* changes the schema without them (as
// DB_SYNCHRONIZE would), and migration:generate/create write one dialect's file, unregistered.
const BYPASSES: Record<string, string> = {
  'schema:sync': 'the schema comes from migrations: npm run migration:run',
  'schema:drop': 'the schema comes from migrations: npm run migration:revert undoes one',
  'schema:log': 'the schema comes from migrations: npm run migration:check compares them',
  'migration:generate':
    'use npm run migration:generate -- <Name>, which writes it for both dialects and registers it',
  'migration:create':
    'use npm run migration:create -- <Name>, which writes an empty one for both dialects and ' +
    'registers it',
};

/** Why `command` is refused, pointing to the command to use; undefined when it is not. */
export function bypassRefusal(command: string | undefined): string | undefined {
  const pointer = command === undefined ? undefined : BYPASSES[command];
  return pointer && `${command} is not run through this data source: ${pointer}.`;
}
