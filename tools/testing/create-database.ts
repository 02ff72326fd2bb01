import { Client } from 'pg';

export interface CreateDatabaseOptions {
  /** An ICU locale (e.g. `en-US`) for the database's default collation instead of the server's. */
  icuLocale?: string;
}

/** Creates `name` on the server behind `adminUrl` and returns the new database's URL. */
export async function createDatabase(
  adminUrl: string,
  name: string,
  { icuLocale }: CreateDatabaseOptions = {},
): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const locale = icuLocale
      ? ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${icuLocale.replace(/'/g, "''")}'`
      : '';
    await client.query(`CREATE DATABASE "${name}"${locale}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops `name` on the server behind `adminUrl`, closing its connections. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
