import { Project, Tag, Task } from '@app/tasks';

/** Every entity, listed explicitly (no globs): the app and the TypeORM CLI share this list. */
export const ENTITIES = [Project, Task, Tag];
