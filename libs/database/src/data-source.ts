import 'reflect-metadata';
import { databaseHostHint, loadConfigOrExit } from '@app/config';
import { buildDataSourceOptions, createDataSource } from './build-data-source-options';
import { withConnectionTarget } from './connection-errors';

const config = loadConfigOrExit().database;
const hint = databaseHostHint(config);
if (hint) console.warn(`Warning: ${hint}`);

/** The DataSource of the TypeORM CLI: the same validated config and options as the app. */
const dataSource = createDataSource(buildDataSourceOptions(config));

if (config.type === 'postgres') {
  // A failed connection names the address tried, with the localhost-in-a-container hint when
  // it applies, as the app's start-up does (the CLI prints the error it is given).
  const initialize = dataSource.initialize.bind(dataSource);
  const target = { host: config.host, port: config.port };
  dataSource.initialize = () =>
    initialize().catch((error: unknown) => {
      throw withConnectionTarget(error, target);
    });
}

export default dataSource;
