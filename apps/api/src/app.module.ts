import { Module } from '@nestjs/common';
import { AppConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { HealthModule } from '@app/health';
import { LoggingModule, RateLimitModule } from '@app/http';
import { TasksModule } from '@app/tasks';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    RateLimitModule,
    DatabaseModule,
    HealthModule,
    TasksModule,
  ],
})
export class AppModule {}
