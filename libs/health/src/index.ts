export { HealthModule } from './health.module';
export { DrainState } from './drain-state';
export { enableGracefulShutdown } from './graceful-shutdown';
