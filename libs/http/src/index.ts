export { configureApp, createFastifyAdapter } from './configure-app';
export { ApiProblems } from './api-problems';
export { IdParam } from './id-param';
export { FieldError, ProblemDetails } from './problem-details';
export { ProblemDetailsFilter } from './problem-details.filter';
export { createValidationPipe, ValidationProblem } from './validation';
export { LoggingModule } from './logging.module';
export { RateLimitModule } from './rate-limit.module';
export { createStartupLogger, dropLinesOnBrokenPipe } from './startup-logger';
