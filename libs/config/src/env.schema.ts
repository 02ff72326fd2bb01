import { z } from 'zod';
import { NOT_A_POSTGRES_URL, POSTGRES_URL_PATTERN } from './postgres-url';

/** Variables whose values are never printed, logged or returned. */
export const SECRET_VARIABLES = ['POSTGRES_PASSWORD', 'DATABASE_URL'] as const;

/** Variables that may also be given as `<NAME>_FILE` (Docker/Kubernetes secrets). */
export const FILE_VARIABLES = [
  'DATABASE_URL',
  'POSTGRES_USER',
  'POSTGRES_PASSWORD',
  'POSTGRES_DB',
] as const;

const int = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: `expected a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `expected at least ${min}` })
        .max(max, { error: `expected at most ${max}` }),
    )
    .default(fallback);

/** One of `values`, read without surrounding blanks and case (`Postgres `, `INFO`, `TRUE`). */
const choice = <const T extends readonly [string, ...string[]]>(values: T, error: string) =>
  z.string().trim().toLowerCase().pipe(z.enum(values, { error }));

const bool = (fallback: boolean) =>
  choice(['true', 'false', '1', '0'], 'expected true or false')
    .transform((v) => v === 'true' || v === '1')
    .default(fallback);

const optionalText = z.string().trim().min(1).optional();

/**
 * The one schema for the process environment. Keys are the variable names; `.env.example`
 * documents exactly these keys, and apart from them the variables only Docker Compose reads (a
 * test keeps it in step with this schema and the compose files).
 */
export const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      error: 'expected development, production or test',
    })
    .default('development'),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: int(1, 65535, 3000),
  LOG_LEVEL: choice(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    'expected fatal, error, warn, info, debug, trace or silent',
  ).default('info'),
  DB_TYPE: choice(['sqlite', 'postgres'], 'expected sqlite or postgres').default('sqlite'),
  SQLITE_PATH: z
    .string()
    .trim()
    .min(1)
    // ~ and ~user/ are the shell's: taken as written, ~/app.sqlite makes a folder named "~".
    .refine((path) => !/^~([\w.-]*\/|$)/.test(path), {
      error:
        'starts with ~, which only a shell expands (not .env, Docker or a process manager); give the whole path, such as /home/me/app.sqlite',
    })
    .default('./data/app.sqlite'),
  SQLITE_BUSY_TIMEOUT_MS: int(0, 600_000, 5000),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(POSTGRES_URL_PATTERN, { error: NOT_A_POSTGRES_URL })
    .optional(),
  POSTGRES_HOST: z.string().trim().min(1).default('localhost'),
  POSTGRES_PORT: int(1, 65535, 5432),
  POSTGRES_USER: optionalText,
  POSTGRES_PASSWORD: z.string().min(1, { error: 'must not be empty' }).optional(),
  POSTGRES_DB: optionalText,
  DB_POOL_SIZE: int(1, 1000, 10),
  DB_CONNECT_TIMEOUT_MS: int(100, 600_000, 5000),
  DB_PING_TIMEOUT_MS: int(50, 60_000, 1000),
  DB_STATEMENT_TIMEOUT_MS: int(0, 3_600_000, 5000),
  DB_CONNECT_RETRIES: int(0, 100, 5),
  DB_MIGRATIONS_RUN: bool(true),
  SHUTDOWN_DRAIN_MS: int(0, 600_000, 1000),
  SHUTDOWN_GRACE_MS: int(0, 600_000, 10_000),
  CORS_ORIGINS: z
    .string()
    .trim()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().regex(/^(https?:\/\/[^/\s,]+|\*)$/, {
          error: 'expected a comma-separated list of origins like https://app.example.com, or *',
        }),
      ),
    ),
  RATE_LIMIT_MAX: int(0, 1_000_000, 1000),
  RATE_LIMIT_WINDOW_MS: int(1, 86_400_000, 60_000),
  DB_SYNCHRONIZE: choice(
    ['false', '0'],
    'synchronize is not supported: the schema comes from migrations (npm run migration:run)',
  ).optional(),
});

export type Env = z.output<typeof envSchema>;
export type EnvKey = keyof typeof envSchema.shape;
