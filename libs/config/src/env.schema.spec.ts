import { envSchema } from './env.schema';

/** The schema's value of one variable, or its messages. */
function read(name: string, value: string): unknown {
  const parsed = envSchema.safeParse({ [name]: value });
  if (parsed.success) return (parsed.data as Record<string, unknown>)[name];
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('envSchema', () => {
  it.each([
    ['PORT', 1, 65535],
    ['POSTGRES_PORT', 1, 65535],
    ['SQLITE_BUSY_TIMEOUT_MS', 0, 600_000],
    ['DB_POOL_SIZE', 1, 1000],
    ['DB_CONNECT_TIMEOUT_MS', 100, 600_000],
    ['DB_PING_TIMEOUT_MS', 50, 60_000],
    ['DB_STATEMENT_TIMEOUT_MS', 0, 3_600_000],
    ['DB_CONNECT_RETRIES', 0, 100],
    ['SHUTDOWN_DRAIN_MS', 0, 600_000],
    ['SHUTDOWN_GRACE_MS', 0, 600_000],
    ['RATE_LIMIT_MAX', 0, 1_000_000],
    ['RATE_LIMIT_WINDOW_MS', 1, 86_400_000],
  ])('reads %s as a whole number from %d to %d', (name, min, max) => {
    expect(read(name, String(min))).toBe(min);
    expect(read(name, ` ${max} `)).toBe(max);
    expect(read(name, String(max + 1))).toEqual([`${name}: expected at most ${max}`]);
    expect(read(name, String(min - 1))).toEqual([
      min > 0
        ? `${name}: expected at least ${min}`
        : `${name}: expected a whole number from ${min} to ${max}`,
    ]);
  });

  it('reads a switch as true, false, 1 or 0, in any case', () => {
    expect(
      ['true', 'TRUE', '1', 'false', ' False ', '0'].map((v) => read('DB_MIGRATIONS_RUN', v)),
    ).toEqual([true, true, true, false, false, false]);
    expect(read('DB_MIGRATIONS_RUN', 'yes')).toEqual(['DB_MIGRATIONS_RUN: expected true or false']);
  });

  it('takes text without surrounding blanks, and refuses text that is only blanks', () => {
    expect(read('HOST', ' 127.0.0.1 ')).toBe('127.0.0.1');
    expect(read('SQLITE_PATH', ' ./data/app.sqlite ')).toBe('./data/app.sqlite');
    expect(read('POSTGRES_USER', ' app ')).toBe('app');
    expect(read('POSTGRES_DB', ' app ')).toBe('app');
    expect(read('DATABASE_URL', ' postgres://app@db/app ')).toBe('postgres://app@db/app');
    for (const name of ['POSTGRES_USER', 'POSTGRES_DB', 'HOST', 'SQLITE_PATH']) {
      expect(read(name, '  ')).toEqual([expect.stringMatching(new RegExp(`^${name}: `))]);
    }
  });

  it('refuses a SQLITE_PATH in any home folder (~user/, dots included), not a folder named ~ further in', () => {
    expect(read('SQLITE_PATH', '~my.user/app.sqlite')).toEqual([
      expect.stringMatching(/^SQLITE_PATH: starts with ~/),
    ]);
    expect(read('SQLITE_PATH', './data/~/app.sqlite')).toBe('./data/~/app.sqlite');
  });

  it('reads CORS_ORIGINS as a list of origins or *, each without blanks', () => {
    expect(read('CORS_ORIGINS', ' https://app.example.com , http://localhost:3000,')).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
    ]);
    expect(read('CORS_ORIGINS', '*')).toEqual(['*']);
    const message =
      'CORS_ORIGINS.0: expected a comma-separated list of origins like https://app.example.com, or *';
    // An Origin header has no path, not even a /.
    for (const origin of [
      'https://app.example.com/',
      'https://app.example.com/app',
      'app.example.com',
    ]) {
      expect([origin, read('CORS_ORIGINS', origin)]).toEqual([origin, [message]]);
    }
  });

  it('names the choices of NODE_ENV and LOG_LEVEL', () => {
    expect(read('NODE_ENV', 'prod')).toEqual([
      'NODE_ENV: expected development, production or test',
    ]);
    expect(read('LOG_LEVEL', 'Silent')).toBe('silent');
    expect(read('LOG_LEVEL', 'verbose')).toEqual([
      'LOG_LEVEL: expected fatal, error, warn, info, debug, trace or silent',
    ]);
  });
});
