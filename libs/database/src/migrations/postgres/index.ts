import { InitialSchema1795696627000 } from './1795696627000-InitialSchema';

/** Migrations in the order they run (written by npm run migration:generate). */
export const POSTGRES_MIGRATIONS = [InitialSchema1795696627000];
