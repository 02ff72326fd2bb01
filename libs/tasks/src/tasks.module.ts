import { Module } from '@nestjs/common';
import { ProjectsModule } from './projects/projects.module';

/** The domain: projects, tasks and tags. */
@Module({ imports: [ProjectsModule] })
export class TasksModule {}
