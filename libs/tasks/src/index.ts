export { TasksModule } from './tasks.module';
export { Project } from './projects/project.entity';
export { Task } from './tasks/task.entity';
export { Tag } from './tags/tag.entity';
