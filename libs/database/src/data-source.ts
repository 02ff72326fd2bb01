import 'reflect-metadata';
import { ConfigError, containerLocalhostHint, loadConfig } from '@app/config';
import { buildDataSourceOptions, createDataSource } from './build-data-source-options';

function databaseConfigOrExit() {
  try {
    return loadConfig().database;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const config = databaseConfigOrExit();
const hint = config.type === 'postgres' ? containerLocalhostHint(config.host) : undefined;
if (hint) console.warn(`Warning: ${hint}`);

/** The DataSource of the TypeORM CLI: the same validated config and options as the app. */
export default createDataSource(buildDataSourceOptions(config));
