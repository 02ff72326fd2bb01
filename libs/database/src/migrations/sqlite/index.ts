import { InitialSchema1795696210491 } from './1795696210491-InitialSchema';

/** Migrations in the order they run (written by npm run migration:generate). */
export const SQLITE_MIGRATIONS = [InitialSchema1795696210491];
