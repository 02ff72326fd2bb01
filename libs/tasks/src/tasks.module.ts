import { Module } from '@nestjs/common';
import { ProjectsModule } from './projects/projects.module';
import { TagsModule } from './tags/tags.module';
import { TasksFeatureModule } from './tasks/tasks.module';

/** The domain: projects, tasks and tags. */
@Module({ imports: [ProjectsModule, TagsModule, TasksFeatureModule] })
export class TasksModule {}
