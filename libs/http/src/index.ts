export { configureApp, createFastifyAdapter, BODY_LIMIT_BYTES } from './configure-app';
export { ApiProblems } from './api-problems';
export { IdParam, ParseIdPipe } from './id-param';
export { FieldError, ProblemDetails } from './problem-details';
export { ProblemDetailsFilter } from './problem-details.filter';
export { toProblem } from './to-problem';
export { createValidationPipe, ValidationProblem } from './validation';
export { LoggingModule } from './logging.module';
export { RateLimitModule } from './rate-limit.module';
