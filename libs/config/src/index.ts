export * from './config.types';
export * from './config.namespaces';
export * from './config.module';
export { ConfigError, loadConfig, loadConfigOrExit } from './load-config';
export { buildPostgresUrl, postgresLogin, postgresUrlProblem } from './postgres-url';
export { envSchema, SECRET_VARIABLES, FILE_VARIABLES } from './env.schema';
export type { Env, EnvKey } from './env.schema';
export {
  REDACTED,
  redactSecrets,
  SECRET_URL_PARAMETERS,
  secretValues,
  urlPasswords,
} from './redact-secrets';
export {
  containerLocalhostHint,
  databaseHostHint,
  ignoredUrlHint,
  isLoopbackHost,
  isRunningInContainer,
  listenHostHint,
} from './container-hint';
