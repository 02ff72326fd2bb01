import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { databaseHostHint, loadConfigOrExit, redactSecrets } from '@app/config';
import { buildDataSourceOptions, createDataSource } from './build-data-source-options';
import { withConnectionTarget } from './connection-errors';
import { IN_MEMORY_MIGRATIONS_MESSAGE, MigrationRefusal } from './run-migrations';
import { withSqlitePath } from './sqlite-open-errors';
import { bypassRefusal, typeormCliCommand } from './typeorm-cli-command';

const { database: config, warnings } = loadConfigOrExit();
const hint = databaseHostHint(config);
for (const warning of [...warnings, ...(hint ? [hint] : [])]) console.warn(`Warning: ${warning}`);

// The TypeORM CLI command that loaded this file (`query` as well as `migration:show`). Only
// migration:run may create the SQLite file (and its folders, which buildDataSourceOptions makes):
// for any other command a missing file is a wrong SQLITE_PATH, and opening it would leave an
// empty database behind.
const command = typeormCliCommand(process.argv);

if (config.type === 'sqlite' && config.path === ':memory:' && command?.startsWith('migration:')) {
  console.error(`${IN_MEMORY_MIGRATIONS_MESSAGE}.`);
  process.exit(1);
}
const refusal = bypassRefusal(command);
if (refusal) {
  console.error(refusal);
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

/** Prints `reason` as the command's one line (as the app's start-up does) and exits 1. */
function fail(reason: string): never {
  console.error(redactSecrets(`${command} failed: ${reason}`));
  process.exit(1);
}

// A failed connection names the address tried, with the localhost-in-a-container hint when it
// applies (PostgreSQL), or the file and why it cannot be opened (SQLite), as the app's start-up
// does. TypeORM's CLI would print that error with its stack and cause (pg's raw error, which
// names the address again without the hint): the CLI prints one line instead, as the app does.
const initialize = dataSource.initialize.bind(dataSource);
dataSource.initialize = () =>
  initialize().catch((error: unknown) => {
    const described =
      config.type === 'postgres'
        ? withConnectionTarget(error, config)
        : withSqlitePath(error, config.path);
    if (!command) throw described;
    fail((described as Error | undefined)?.message || String(described));
  });

// A refusal (a database newer than this build, the lock held too long) is one line too; a
// migration that fails keeps TypeORM's report with its stack, which says where.
const refusedInOneLine = <T>(run: Promise<T>): Promise<T> =>
  run.catch((error: unknown) => {
    if (command && error instanceof MigrationRefusal) fail(error.message);
    throw error;
  });
const runMigrations = dataSource.runMigrations.bind(dataSource);
const undoLastMigration = dataSource.undoLastMigration.bind(dataSource);
const showMigrations = dataSource.showMigrations.bind(dataSource);
dataSource.runMigrations = (options) => refusedInOneLine(runMigrations(options));
dataSource.undoLastMigration = (options) => refusedInOneLine(undoLastMigration(options));
dataSource.showMigrations = () => refusedInOneLine(showMigrations());

export default dataSource;
