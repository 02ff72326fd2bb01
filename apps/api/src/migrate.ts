// The Compose `migrate` one-shot (`node dist/apps/api/src/launch.js migrate`): applies pending
// migrations with the app's own configuration, connection retries and lock, then exits. It does
// what `typeorm migration:run -d dist/libs/database/src/data-source.js` does (that command still
// works), but from the bundle and its code cache: the TypeORM CLI loads ~700 files, about 0.4 s
// of every `docker compose up` (P6 in BENCHMARKS.md). It imports the files it needs, not the
// @app/config and @app/database barrels, which also hold the Nest modules: without them its
// bundle is TypeORM, zod and this, not Nest, RxJS and class-validator besides.
import 'reflect-metadata';
import { databaseHostHint } from '../../../libs/config/src/container-hint';
import { loadConfigOrExit } from '../../../libs/config/src/load-config';
import { redactSecrets } from '../../../libs/config/src/redact-secrets';
import { buildDataSourceOptions } from '../../../libs/database/src/build-data-source-options';
import { connectWithRetries } from '../../../libs/database/src/connect-with-retries';
import {
  IN_MEMORY_MIGRATIONS_MESSAGE,
  runMigrationsUnderLock,
} from '../../../libs/database/src/run-migrations';

/** The host hint and connection retries, on stderr beside the one-shot's other lines. */
const warn = (message: string) => console.warn(`Warning: ${message}`);

/** Exit code: 0 migrated or nothing pending, 1 a migration or connection failed, 2 bad config. */
async function migrate(): Promise<number> {
  const { database: config, warnings } = loadConfigOrExit(2);
  for (const warning of warnings) warn(warning);
  if (config.type === 'sqlite' && config.path === ':memory:') {
    console.error(IN_MEMORY_MIGRATIONS_MESSAGE);
    return 2;
  }
  const hint = databaseHostHint(config);
  if (hint) warn(hint);

  const dataSource = await connectWithRetries(buildDataSourceOptions(config), config, {
    warn,
    log: (message: string) => console.log(message),
  });
  try {
    const applied = await runMigrationsUnderLock(dataSource);
    for (const migration of applied) console.log(`Applied migration ${migration.name}`);
    console.log(
      applied.length ? `${applied.length} migration(s) applied` : 'No pending migrations',
    );
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

migrate().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(redactSecrets(`Migration failed: ${error.message}`));
    process.exitCode = 1;
  },
);
