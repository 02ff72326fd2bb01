export { TasksModule } from './tasks.module';
export { Project } from './projects/project.entity';
export { ProjectsService } from './projects/projects.service';
export { Task, TASK_STATUSES } from './tasks/task.entity';
export type { TaskStatus } from './tasks/task.entity';
export { Tag } from './tags/tag.entity';
