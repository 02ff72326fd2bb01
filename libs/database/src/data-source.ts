import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { databaseHostHint, loadConfigOrExit } from '@app/config';
import { buildDataSourceOptions, createDataSource } from './build-data-source-options';
import { withConnectionTarget } from './connection-errors';
import { IN_MEMORY_MIGRATIONS_MESSAGE } from './run-migrations';
import { withSqlitePath } from './sqlite-open-errors';
import { typeormCliCommand } from './typeorm-cli-command';

const config = loadConfigOrExit().database;
const hint = databaseHostHint(config);
if (hint) console.warn(`Warning: ${hint}`);

// The TypeORM CLI command that loaded this file (`query` as well as `migration:show`). Only
// migration:run may create the SQLite file (and its folders, which buildDataSourceOptions makes):
// for any other command a missing file is a wrong SQLITE_PATH, and opening it would leave an
// empty database behind.
const command = typeormCliCommand(process.argv);

// Commands that would go around the migrations: schema:* changes the schema without them (as
// DB_SYNCHRONIZE would), and migration:generate/create write one dialect's file, unregistered.
const BYPASSES: Record<string, string> = {
  'schema:sync': 'the schema comes from migrations: npm run migration:run',
  'schema:drop': 'the schema comes from migrations: npm run migration:revert undoes one',
  'schema:log': 'the schema comes from migrations: npm run migration:check compares them',
  'migration:generate':
    'use npm run migration:generate -- <Name>, which writes it for both dialects and registers it',
  'migration:create':
    'use npm run migration:generate -- <Name>, which writes it for both dialects and registers it',
};
if (config.type === 'sqlite' && config.path === ':memory:' && command?.startsWith('migration:')) {
  console.error(`${IN_MEMORY_MIGRATIONS_MESSAGE}.`);
  process.exit(1);
}
if (command && BYPASSES[command]) {
  console.error(`${command} is not run through this data source: ${BYPASSES[command]}.`);
  process.exit(1);
}

if (
  config.type === 'sqlite' &&
  command &&
  command !== 'migration:run' &&
  config.path !== ':memory:' &&
  !existsSync(config.path)
) {
  console.error(
    `SQLite database ${resolve(config.path)} does not exist (SQLITE_PATH); ${command} creates ` +
      'no database: check the path, or create it with migration:run.',
  );
  process.exit(1);
}

/** The DataSource of the TypeORM CLI: the same validated config and options as the app. */
const dataSource = createDataSource(buildDataSourceOptions(config));

// A failed connection names the address tried, with the localhost-in-a-container hint when it
// applies (PostgreSQL), or the file and why it cannot be opened (SQLite), as the app's start-up
// does (the CLI prints the error it is given).
const initialize = dataSource.initialize.bind(dataSource);
dataSource.initialize = () =>
  initialize().catch((error: unknown) => {
    throw config.type === 'postgres'
      ? withConnectionTarget(error, config)
      : withSqlitePath(error, config.path);
  });

export default dataSource;
