import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DrainState } from './drain-state';
import { HealthController } from './health.controller';
import { ReadinessLog } from './readiness-log';

@Module({
  // Terminus logs every failing probe; ReadinessLog logs each change of state once instead.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DrainState, ReadinessLog],
})
export class HealthModule {}
