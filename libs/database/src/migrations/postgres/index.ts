import { InitialSchema1795696627000 } from './1795696627000-InitialSchema';
import { TasksCreatedAtIndex1795708025110 } from './1795708025110-TasksCreatedAtIndex';
import { UnboundedNameKeys1795833677418 } from './1795833677418-UnboundedNameKeys';
import { RepairBufferMetadata1795969345294 } from './1795969345294-RepairBufferMetadata';

/** Migrations in the order they run (written by npm run migration:generate or :create). */
export const POSTGRES_MIGRATIONS = [
  InitialSchema1795696627000,
  TasksCreatedAtIndex1795708025110,
  UnboundedNameKeys1795833677418,
  RepairBufferMetadata1795969345294,
];
