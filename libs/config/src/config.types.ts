export type DbType = 'sqlite' | 'postgres';

export type HostVariable = 'DATABASE_URL' | 'DATABASE_URL_FILE' | 'POSTGRES_HOST';

/** Where a PostgreSQL host came from: a variable, or the --to URL of db:copy and db:verify. */
export type HostSource = HostVariable | '--to';

export interface SqliteConfig {
  type: 'sqlite';
  /** File path, or `:memory:`. */
  path: string;
  busyTimeoutMs: number;
  /** Set when a PostgreSQL URL was given but DB_TYPE was not: the app runs on SQLite anyway. */
  ignoredUrl?: 'DATABASE_URL' | 'DATABASE_URL_FILE';
  /** The PostgreSQL connection variables given (names only), unused while DB_TYPE is sqlite. */
  unusedPostgresVariables?: string[];
}

export interface PostgresConfig {
  type: 'postgres';
  /** Connection URL with user and password URL-encoded. A secret: never log it. */
  url: string;
  host: string;
  port: number;
  /** Where the host came from, for hints that say what to change. */
  hostVariable: HostVariable;
  poolSize: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

export type DatabaseConfig = (SqliteConfig | PostgresConfig) & {
  migrationsRun: boolean;
  pingTimeoutMs: number;
  connectRetries: number;
};

export interface HttpConfig {
  host: string;
  port: number;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: string;
  /** Readiness answers 503 this long before the server stops accepting connections. */
  shutdownDrainMs: number;
  /** In-flight requests get this long to finish before their connections are cut. */
  shutdownGraceMs: number;
  /** Allowed CORS origins; empty: CORS off. */
  corsOrigins: string[];
  /** Requests per client and window; 0: no rate limit. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
}

export interface AppConfig {
  http: HttpConfig;
  database: DatabaseConfig;
  /** Start-up warnings: variables that look like the app's but are not (names only). */
  warnings: string[];
}
