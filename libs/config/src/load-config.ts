import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import leven from 'leven';
import { Env, envSchema, FILE_VARIABLES } from './env.schema';
import { AppConfig, DatabaseConfig } from './config.types';
import {
  buildPostgresUrl,
  postgresHostProblem,
  postgresTarget,
  postgresUrlProblem,
} from './postgres-url';
import { dotenvComposeMismatches } from './dotenv-compose-mismatches';
import { rememberSecrets } from './redact-secrets';

/** Thrown when the environment is invalid; `problems` holds one line per problem, no values. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type RawEnv = Record<string, string | undefined>;

/**
 * `loadConfig` for an entry point: an invalid environment prints its problems (names, never
 * values) and exits with `exitCode` instead of throwing.
 */
export function loadConfigOrExit(exitCode = 1): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(exitCode);
  }
}

/**
 * Merges `.env` under the real environment (real variables win, as with dotenv), resolves
 * `*_FILE` secrets, validates everything at once and returns the typed configuration.
 */
export function loadConfig(env: RawEnv = process.env, envFile = '.env'): AppConfig {
  const envText = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
  const overridden = overriddenInFile(env);
  const fromFile = Object.fromEntries(
    Object.entries(parseDotenv(envText)).filter(([name]) => !overridden.has(name)),
  );
  const merged = withoutEmpty({ ...fromFile, ...env });
  // Only `.env` lines the app reads: one the environment overrides means nothing to it.
  const readFromFile = new Set(APP_VARIABLES.filter((name) => !overridden.has(name)));
  const problems = [
    ...dotenvComposeMismatches(envText, readFromFile),
    ...legacyTypeormProblems(merged),
    ...urlFromFileProblems(withoutEmpty(fromFile), env, merged),
  ];
  // The secrets are PostgreSQL's: on SQLite their files (a container's /run/secrets/...) are
  // neither needed nor read.
  if (dbType(merged) === 'postgres') resolveFileVariables(merged, problems);
  rememberSecrets(merged);

  const parsed = envSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.');
      problems.push(`${name}: ${issue.message}${serviceLinkHint(name, merged[name])}`);
    }
    throw new ConfigError(problems);
  }
  problems.push(...postgresProblems(parsed.data, merged));
  if (problems.length > 0) throw new ConfigError(problems);
  const warnings = [
    ...unknownVariableWarnings(fromFile, '.env', { nearMisses: true }),
    ...unknownVariableWarnings(env, 'the environment', { nearMisses: false }),
  ];
  return { ...toAppConfig(parsed.data, merged), warnings };
}

/** Every variable the app reads: `.env` lines of these must mean the same to dotenv and Compose. */
const APP_VARIABLES = [
  ...Object.keys(envSchema.shape),
  ...FILE_VARIABLES.map((name) => `${name}_FILE`),
];

/**
 * Variables other programs read from a `.env` or environment shared with the app: Docker
 * Compose's interpolation (see `.env.example`) and the postgres image's initialisation.
 */
const OTHER_PROGRAMS = new Set([
  'API_PORT',
  'API_IMAGE',
  'SMOKE_INTERVAL_MS',
  'POSTGRES_INITDB_ARGS',
  'POSTGRES_INITDB_WALDIR',
  'POSTGRES_HOST_AUTH_METHOD',
]);
/** The prefixes of the app's own variables: an unknown name with one is most likely a typo. */
const APP_PREFIX = /^(POSTGRES|DATABASE|DB|SQLITE|RATE_LIMIT|SHUTDOWN|CORS)_/;
/** Kubernetes' service links (a Service named postgres gives POSTGRES_SERVICE_HOST, ...). */
const SERVICE_LINK = /_SERVICE_(HOST|PORT)(_|$)|_PORT_\d+_(TCP|UDP|SCTP)(_|$)/;
/** A service link's `<SERVICE>_PORT` (DB_PORT=tcp://10.0.0.2:5432 for a Service named db). */
const isServiceLink = (name: string, value: string | undefined): boolean =>
  SERVICE_LINK.test(name) || (name.endsWith('_PORT') && /^(tcp|udp|sctp):\/\//.test(value ?? ''));

/**
 * A variable the app does not read but whose name is one of its prefixes (POSTGRES_HOSTNAME)
 * or, in `.env`, within two edits of one of its variables (PROT): a typo that would otherwise
 * be ignored in silence. Named with the nearest variable, never with its value. (`TYPEORM_*`
 * is refused on its own.) A shell's variables (HOME, PATH) are two edits from HOST and PORT:
 * near misses are looked for in `.env` only.
 */
function unknownVariableWarnings(
  variables: RawEnv,
  where: string,
  { nearMisses }: { nearMisses: boolean },
): string[] {
  const nearest = (name: string) =>
    APP_VARIABLES.map((known) => ({ known, distance: leven(name, known) })).sort(
      (a, b) => a.distance - b.distance,
    )[0];
  return Object.keys(variables)
    .filter((name) => !APP_VARIABLES.includes(name) && !OTHER_PROGRAMS.has(name))
    .filter((name) => !isServiceLink(name, variables[name]) && !name.startsWith('TYPEORM_'))
    .filter((name) => APP_PREFIX.test(name) || (nearMisses && nearest(name).distance <= 2))
    .map(
      (name) =>
        `${name} in ${where} is not a variable this app reads, so it has no effect ` +
        `(did you mean ${nearest(name).known}?)`,
    );
}

/**
 * The `.env` variables that the real environment overrides: real variables win over `.env`, also
 * across a secret's two forms: a real `X_FILE` hides `.env`'s `X`, and a real `X` its `X_FILE`
 * (both forms from one source are refused, as the postgres image refuses them). An empty real
 * variable hides them too, as it hides `.env`'s value of its own name (an empty DATABASE_URL
 * switches off `.env`'s URL, whichever form it has there).
 */
function overriddenInFile(env: RawEnv): Set<string> {
  const given = (name: string) => env[name] !== undefined;
  const secrets = FILE_VARIABLES.filter((name) => given(name) || given(`${name}_FILE`)).flatMap(
    (name) => [name, `${name}_FILE`],
  );
  return new Set([...Object.keys(env).filter(given), ...secrets]);
}

/**
 * Kubernetes gives every pod `<SERVICE>_PORT=tcp://<ip>:<port>` for each Service in its
 * namespace: a Service named postgres sets POSTGRES_PORT, which then is no port number.
 */
function serviceLinkHint(name: string, value: string | undefined): string {
  if (!name.endsWith('_PORT') || !/^tcp:\/\//.test(value ?? '')) return '';
  const service = name.slice(0, -'_PORT'.length).toLowerCase().replaceAll('_', '-');
  return (
    `; a tcp://… value is what Kubernetes sets for a Service named ${service} (a service ` +
    `link): set ${name} in the pod yourself, or enableServiceLinks: false`
  );
}

/** DB_TYPE as the schema reads it (trimmed, any case, `sqlite` when unset); undefined if invalid. */
function dbType(env: RawEnv): Env['DB_TYPE'] | undefined {
  return envSchema.shape.DB_TYPE.safeParse(env.DB_TYPE).data;
}

function withoutEmpty(env: RawEnv): RawEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}

/** TypeORM 1.0 no longer reads TYPEORM_*; say so instead of silently using SQLite. */
function legacyTypeormProblems(env: RawEnv): string[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('TYPEORM_'))
    .map(
      (name) =>
        `${name}: not read (TypeORM 1.0 dropped TYPEORM_* variables); use DB_TYPE and DATABASE_URL or POSTGRES_HOST/PORT/USER/PASSWORD/DB`,
    );
}

const CONNECTION_PARTS = [
  'POSTGRES_HOST',
  'POSTGRES_PORT',
  'POSTGRES_USER',
  'POSTGRES_PASSWORD',
  'POSTGRES_DB',
] as const;

/** Every variable that says how to reach PostgreSQL, in both forms where it has two. */
const POSTGRES_VARIABLES = ['DATABASE_URL', ...CONNECTION_PARTS].flatMap((name) =>
  (FILE_VARIABLES as readonly string[]).includes(name) ? [name, `${name}_FILE`] : [name],
);

/**
 * DATABASE_URL wins over the POSTGRES_* parts, and real variables win over `.env`: a URL found
 * only in `.env` would silently beat parts set in the real environment (a container's
 * POSTGRES_HOST=db, say). Refused rather than guessed, naming the variables (never values).
 */
function urlFromFileProblems(fromFile: RawEnv, env: RawEnv, merged: RawEnv): string[] {
  const given = (source: RawEnv, name: string) => !!source[name] || !!source[`${name}_FILE`];
  // An empty real DATABASE_URL is given too: it hides the one in .env (see `withoutEmpty`).
  const urlInEnv = env.DATABASE_URL !== undefined || env.DATABASE_URL_FILE !== undefined;
  if (dbType(merged) !== 'postgres' || urlInEnv) return [];
  if (!given(fromFile, 'DATABASE_URL')) return [];
  const parts = CONNECTION_PARTS.filter((name) => given(env, name));
  if (parts.length === 0) return [];
  return [
    `DATABASE_URL: set in .env, while the environment sets ${parts.join(', ')}, which it would ` +
      'override; remove DATABASE_URL from .env, or set DATABASE_URL in the environment instead',
  ];
}

function resolveFileVariables(env: RawEnv, problems: string[]): void {
  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file === undefined) continue;
    if (env[name] !== undefined) {
      problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      // As the postgres image's entrypoint reads it ("$(< file)"): trailing LFs go, a CR stays,
      // so the app and a database initialised from the same file agree on the password.
      const value = readFileSync(file, 'utf8').replace(/\n+$/, '');
      if (value === '') problems.push(`${name}_FILE: the file it names is empty`);
      else env[name] = value;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      // The value is not echoed: a secret put in the *_FILE variable by mistake would be.
      problems.push(
        `${name}_FILE: not the path of a readable file (the value is not shown) (${code})`,
      );
    }
  }
}

/**
 * What PostgreSQL still lacks once the schema passed. A variable given as `<NAME>_FILE` counts as
 * given even when its file could not be read: that problem is already reported, and listing the
 * variables it would have made unnecessary (the POSTGRES_* parts, for DATABASE_URL_FILE) would
 * only point away from it.
 */
function postgresProblems(env: Env, raw: RawEnv): string[] {
  if (env.DB_TYPE !== 'postgres') return [];
  if (env.DATABASE_URL) {
    const problem = postgresUrlProblem(env.DATABASE_URL);
    return problem ? [`DATABASE_URL: ${problem}`] : [];
  }
  if (raw.DATABASE_URL_FILE !== undefined) return [];
  const host = postgresHostProblem(env.POSTGRES_HOST);
  return (['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB'] as const)
    .filter((name) => env[name] === undefined && raw[`${name}_FILE`] === undefined)
    .map(
      (name) =>
        `${name}: required when DB_TYPE=postgres and DATABASE_URL is not set (or set ${name}_FILE)`,
    )
    .concat(host ? [`POSTGRES_HOST: ${host}`] : []);
}

/** The typed configuration; `raw` (before validation) tells which variables were given. */
function toAppConfig(env: Env, raw: RawEnv): Omit<AppConfig, 'warnings'> {
  return {
    http: {
      host: env.HOST,
      port: env.PORT,
      nodeEnv: env.NODE_ENV,
      logLevel: env.LOG_LEVEL,
      shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      corsOrigins: env.CORS_ORIGINS,
      rateLimitMax: env.RATE_LIMIT_MAX,
      rateLimitWindowMs: env.RATE_LIMIT_WINDOW_MS,
    },
    database: toDatabaseConfig(env, raw),
  };
}

function toDatabaseConfig(env: Env, raw: RawEnv): DatabaseConfig {
  const common = {
    migrationsRun: env.DB_MIGRATIONS_RUN,
    pingTimeoutMs: env.DB_PING_TIMEOUT_MS,
    connectRetries: env.DB_CONNECT_RETRIES,
  };
  if (env.DB_TYPE === 'sqlite') {
    // A PostgreSQL URL given without DB_TYPE: the start-up warns that it is not used.
    const ignoredUrl = raw.DB_TYPE
      ? undefined
      : (['DATABASE_URL_FILE', 'DATABASE_URL'] as const).find((name) => raw[name]);
    // For db:copy without --to, which would otherwise not say why they were not used.
    const unusedPostgresVariables = POSTGRES_VARIABLES.filter((name) => raw[name]);
    return {
      ...common,
      type: 'sqlite',
      path: env.SQLITE_PATH,
      busyTimeoutMs: env.SQLITE_BUSY_TIMEOUT_MS,
      ...(ignoredUrl && { ignoredUrl }),
      ...(unusedPostgresVariables.length > 0 && { unusedPostgresVariables }),
    };
  }
  const url = env.DATABASE_URL ?? buildPostgresUrl(env);
  return {
    ...common,
    type: 'postgres',
    url,
    ...postgresTarget(url),
    hostVariable: raw.DATABASE_URL_FILE
      ? 'DATABASE_URL_FILE'
      : env.DATABASE_URL
        ? 'DATABASE_URL'
        : 'POSTGRES_HOST',
    poolSize: env.DB_POOL_SIZE,
    connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
  };
}
