export { HealthModule } from './health.module';
export { DrainState } from './drain-state';
export { enableGracefulShutdown } from './graceful-shutdown';
export { LIVENESS_DOCUMENT, serveLiveness } from './liveness';
