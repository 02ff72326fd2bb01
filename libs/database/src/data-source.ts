import 'reflect-metadata';
import { databaseHostHint, loadConfigOrExit } from '@app/config';
import { buildDataSourceOptions, createDataSource } from './build-data-source-options';
import { withConnectionTarget } from './connection-errors';
import { withSqlitePath } from './sqlite-open-errors';

const config = loadConfigOrExit().database;
const hint = databaseHostHint(config);
if (hint) console.warn(`Warning: ${hint}`);

/** The DataSource of the TypeORM CLI: the same validated config and options as the app. */
const dataSource = createDataSource(buildDataSourceOptions(config));

// A failed connection names the address tried, with the localhost-in-a-container hint when it
// applies (PostgreSQL), or the file and why it cannot be opened (SQLite), as the app's start-up
// does (the CLI prints the error it is given).
const initialize = dataSource.initialize.bind(dataSource);
dataSource.initialize = () =>
  initialize().catch((error: unknown) => {
    throw config.type === 'postgres'
      ? withConnectionTarget(error, { host: config.host, port: config.port })
      : withSqlitePath(error, config.path);
  });

export default dataSource;
