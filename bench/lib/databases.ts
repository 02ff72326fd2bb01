import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startThrowawayPostgres, ThrowawayPostgres } from '../../tools/embedded-postgres';
import { createDatabase } from '../../tools/testing/create-database';

export type Dialect = 'sqlite' | 'postgres';

let postgres: ThrowawayPostgres | undefined;

/** Environment for a fresh database: a temp SQLite file, or a new database on PostgreSQL. */
export async function freshDatabase(
  dialect: Dialect,
  name: string,
): Promise<Record<string, string>> {
  if (dialect === 'sqlite') {
    return {
      DB_TYPE: 'sqlite',
      SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'bench-')), `${name}.sqlite`),
    };
  }
  let admin = process.env.BENCH_DATABASE_URL;
  if (!admin) {
    postgres ??= await startThrowawayPostgres();
    admin = postgres.url();
  }
  return { DB_TYPE: 'postgres', DATABASE_URL: await createDatabase(admin, `bench_${name}`) };
}

export async function stopDatabases(): Promise<void> {
  await postgres?.stop();
  postgres = undefined;
}
