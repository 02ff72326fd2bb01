export { TasksModule } from './tasks.module';
export { Project } from './projects/project.entity';
export { ProjectsService } from './projects/projects.service';
