import 'reflect-metadata';
import { databaseHostHint, loadConfigOrExit } from '@app/config';
import { buildDataSourceOptions, createDataSource } from './build-data-source-options';

const config = loadConfigOrExit().database;
const hint = databaseHostHint(config);
if (hint) console.warn(`Warning: ${hint}`);

/** The DataSource of the TypeORM CLI: the same validated config and options as the app. */
export default createDataSource(buildDataSourceOptions(config));
