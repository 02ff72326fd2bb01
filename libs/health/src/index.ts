export { HealthModule } from './health.module';
export { enableGracefulShutdown } from './graceful-shutdown';
export { LIVENESS_DOCUMENT, serveLiveness } from './liveness';
