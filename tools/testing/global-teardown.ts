import { Client } from 'pg';
import type { ThrowawayPostgres } from '../embedded-postgres';
import { releaseRunTmpdir } from './run-tmpdir';

export default async function globalTeardown(): Promise<void> {
  try {
    await dropDatabases();
  } finally {
    // After the embedded server stopped: its data is in the run's folder.
    releaseRunTmpdir();
  }
}

async function dropDatabases(): Promise<void> {
  const embedded = (globalThis as { __POSTGRES__?: ThrowawayPostgres }).__POSTGRES__;
  if (embedded) return embedded.stop();
  // An existing server: drop the databases this run created, leave everything else alone.
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`e2e_${process.env.TEST_RUN_ID}_%`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    const roles = await client.query<{ rolname: string }>(
      'SELECT rolname FROM pg_roles WHERE rolname LIKE $1',
      [`e2e_${process.env.TEST_RUN_ID}_%`],
    );
    for (const { rolname } of roles.rows) await client.query(`DROP ROLE IF EXISTS "${rolname}"`);
  } finally {
    await client.end();
  }
}
