import { Module } from '@nestjs/common';
import { AppConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { HealthModule } from '@app/health';
import { TasksModule } from '@app/tasks';

@Module({
  imports: [AppConfigModule, DatabaseModule, HealthModule, TasksModule],
})
export class AppModule {}
