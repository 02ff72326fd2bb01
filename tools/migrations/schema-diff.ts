import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSourceOptions, MixedList } from 'typeorm';
import { DatabaseConfig } from '@app/config';
import { buildDataSourceOptions, createDataSource } from '@app/database';
import type { ThrowawayPostgres } from '../embedded-postgres';
import { createDatabase, dropDatabase } from '../testing/create-database';

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export interface SchemaDiff {
  dialect: Dialect;
  up: string[];
  down: string[];
}

export interface DiffOptions {
  /** Entity classes to compare against (default: the app's ENTITIES). */
  entities?: MixedList<Function>;
  /** Migrations per dialect (default: the app's registries). */
  migrations?: Partial<Record<Dialect, MixedList<Function>>>;
}

let scratchCounter = 0;

/**
 * Throw-away databases of both dialects for generating and checking migrations: a temporary
 * SQLite file and a database on TEST_DATABASE_URL's server or an embedded PostgreSQL.
 */
export class ScratchDatabases {
  private postgres?: ThrowawayPostgres;
  private readonly created: { admin: string; name: string }[] = [];
  private readonly files: string[] = [];

  async config(dialect: Dialect): Promise<DatabaseConfig> {
    const common = { migrationsRun: false, pingTimeoutMs: 1000, connectRetries: 0 };
    const name = `scratch_${process.pid}_${++scratchCounter}`;
    if (dialect === 'sqlite') {
      const path = join(tmpdir(), `${name}.sqlite`);
      rmSync(path, { force: true });
      this.files.push(path);
      return { ...common, type: 'sqlite', path, busyTimeoutMs: 5000 };
    }
    const admin = process.env.TEST_DATABASE_URL ?? (await this.embedded()).url();
    const url = await createDatabase(admin, name);
    this.created.push({ admin, name });
    const { hostname, port } = new URL(url);
    return {
      ...common,
      type: 'postgres',
      url,
      host: hostname,
      port: Number(port || 5432),
      poolSize: 4,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 0,
    };
  }

  private async embedded(): Promise<ThrowawayPostgres> {
    // Loaded lazily: Jest runs always have TEST_DATABASE_URL and never start their own server.
    const { startThrowawayPostgres } = await import('../embedded-postgres');
    this.postgres ??= await startThrowawayPostgres();
    return this.postgres;
  }

  /** Removes its SQLite files, drops its databases on a shared server or stops its own. */
  async close(): Promise<void> {
    for (const file of this.files.splice(0)) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    }
    if (this.postgres) return this.postgres.stop();
    for (const { admin, name } of this.created.splice(0)) await dropDatabase(admin, name);
  }
}

/** Brings a fresh database to the latest migration and returns what the entities still need. */
export async function schemaDiff(
  dialect: Dialect,
  scratch: ScratchDatabases,
  options: DiffOptions = {},
): Promise<SchemaDiff> {
  const base = buildDataSourceOptions(await scratch.config(dialect));
  const dataSource = createDataSource({
    ...base,
    entities: options.entities ?? base.entities,
    migrations: options.migrations?.[dialect] ?? base.migrations,
  } as DataSourceOptions);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const sql = await dataSource.driver.createSchemaBuilder().log();
    const up = sql.upQueries.map((q) => q.query);
    const down = sql.downQueries.map((q) => q.query).reverse();
    return dialect === 'sqlite'
      ? { dialect, up: keepAutoincrementMarks(up), down: keepAutoincrementMarks(down) }
      : { dialect, up, down };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * TypeORM rebuilds a SQLite table by copying it into a new one (`INSERT INTO "b"(…) SELECT … FROM
 * "a"`), then `DROP TABLE "a"`: the new table's AUTOINCREMENT mark (`sqlite_sequence`) is then
 * the largest id copied, so the ids of the newest deleted rows would be handed out again. Before
 * each such DROP of a table copied into an AUTOINCREMENT table, the old table's mark moves to the
 * new one (and a later `RENAME` carries it along), as in `UnboundedNameKeys`.
 */
export function keepAutoincrementMarks(statements: string[]): string[] {
  const autoincrement = new Set<string>();
  const copiedTo = new Map<string, string>();
  const literal = (name: string) => `'${name.replace(/'/g, "''")}'`;
  return statements.flatMap((sql) => {
    const created = /^CREATE TABLE "([^"]+)" \(.*\bAUTOINCREMENT\b/s.exec(sql);
    if (created) autoincrement.add(created[1]);
    const copy = /^INSERT INTO "([^"]+)"\(.*\) SELECT .* FROM "([^"]+)"$/s.exec(sql);
    if (copy) copiedTo.set(copy[2], copy[1]);
    const dropped = /^DROP TABLE "([^"]+)"$/.exec(sql)?.[1];
    const target = dropped === undefined ? undefined : copiedTo.get(dropped);
    if (dropped === undefined || target === undefined || !autoincrement.has(target)) return [sql];
    return [
      `DELETE FROM sqlite_sequence WHERE name = ${literal(target)}`,
      `UPDATE sqlite_sequence SET name = ${literal(target)} WHERE name = ${literal(dropped)}`,
      sql,
    ];
  });
}

/**
 * Table names that a list of DDL statements touches, for messages. TypeORM quotes every name, so
 * only a quoted one counts: a foreign key's `ON DELETE CASCADE` names no table.
 */
export function tablesIn(statements: string[]): string[] {
  const names = statements.flatMap((sql) =>
    [...sql.matchAll(/\b(?:TABLE|ON|INTO)\s+"([^"]+)"/g)].map((m) => m[1]),
  );
  return [...new Set(names.map((n) => n.replace(/^temporary_/, '')))].sort();
}
