import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseConfig, PostgresConfig } from '@app/config';
import { freePort } from '../../../tools/testing/free-port';
import { buildDataSourceOptions } from './build-data-source-options';
import { connectWithRetries } from './connect-with-retries';

// The backoff's waits are recorded, not waited for: six retries would take 17.5 s.
jest.mock('node:timers/promises', () => ({
  ...jest.requireActual<object>('node:timers/promises'),
  setTimeout: jest.fn(async () => undefined),
}));

/** A PostgreSQL config for a port nothing listens on: every attempt is refused at once. */
async function unreachable(connectRetries: number): Promise<PostgresConfig & DatabaseConfig> {
  const port = await freePort();
  return {
    type: 'postgres',
    url: `postgres://app:pw-never-used@127.0.0.1:${port}/app`,
    host: '127.0.0.1',
    port,
    hostVariable: 'DATABASE_URL',
    poolSize: 1,
    connectTimeoutMs: 1000,
    statementTimeoutMs: 0,
    migrationsRun: false,
    pingTimeoutMs: 1000,
    connectRetries,
  };
}

async function failedConnect(config: DatabaseConfig) {
  const warnings: string[] = [];
  const error = await connectWithRetries(buildDataSourceOptions(config), config, {
    warn: (message: string) => warnings.push(message),
    log: () => undefined,
  }).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  const waits = jest.mocked(sleep).mock.calls.map(([ms]) => ms);
  return { error, warnings, waits };
}

describe('connectWithRetries on an unreachable server', () => {
  beforeEach(() => jest.mocked(sleep).mockClear());

  it('retries DB_CONNECT_RETRIES times, backing off 0.5, 1, 2, 4 s, then 5 s at most, then fails', async () => {
    const config = await unreachable(7);
    const { error, warnings, waits } = await failedConnect(config);

    expect(waits).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
    const target = `cannot reach PostgreSQL at 127.0.0.1:${config.port}: connect ECONNREFUSED`;
    expect(warnings).toHaveLength(7);
    warnings.forEach((warning, i) => {
      expect(warning).toContain(target);
      expect(warning).toMatch(new RegExp(`; retry ${i + 1}/7 in ${waits[i]} ms$`));
    });
    // The last attempt's error is the one start-up reports, still retryable by its code.
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect((error as Error).message).toContain(target);
  });

  it('tries once with DB_CONNECT_RETRIES=0', async () => {
    const { error, warnings, waits } = await failedConnect(await unreachable(0));
    expect(waits).toEqual([]);
    expect(warnings).toEqual([]);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
