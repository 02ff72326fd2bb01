// The entity files themselves, not the `@app/tasks` barrel: the barrel also loads the tasks
// module's controllers, DTOs and the HTTP stack (about 900 modules, 60 MB and seconds of
// start-up), which the TypeORM CLI and `db:copy` never use.
import { Project } from '../../tasks/src/projects/project.entity';
import { Tag } from '../../tasks/src/tags/tag.entity';
import { Task } from '../../tasks/src/tasks/task.entity';

/** Every entity, listed explicitly (no globs): the app and the TypeORM CLI share this list. */
export const ENTITIES = [Project, Task, Tag];
