import {
  isTransientConnectionError,
  postgresTargetOf,
  withConnectionTarget,
} from './connection-errors';

const refused = () =>
  Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:5432')], ''), {
    code: 'ECONNREFUSED',
  });

describe('postgresTargetOf', () => {
  it('reads host and port, never the password', () => {
    expect(postgresTargetOf('postgres://app:s%40cret@db:5433/app')).toEqual({
      host: 'db',
      port: 5433,
    });
  });

  it('defaults the port to 5432 and unwraps IPv6 brackets', () => {
    expect(postgresTargetOf('postgres://app:pw@[::1]/app')).toEqual({ host: '::1', port: 5432 });
  });
});

describe('withConnectionTarget', () => {
  it('names host and port for a refused connection whose own message is empty', () => {
    const error = withConnectionTarget(refused(), { host: 'db', port: 5432 }, false) as Error;
    expect(error.message).toBe('cannot reach PostgreSQL at db:5432: ECONNREFUSED');
    expect(error.message).not.toContain('Hint');
  });

  it('repeats the container hint for localhost in a container, and stays retryable', () => {
    const error = withConnectionTarget(refused(), { host: 'localhost', port: 5432 }, true);
    expect((error as Error).message).toMatch(
      /^cannot reach PostgreSQL at localhost:5432: ECONNREFUSED\. Hint: .*localhost is the container itself.*POSTGRES_HOST=db/,
    );
    expect(isTransientConnectionError(error)).toBe(true);
  });

  it('leaves configuration errors untouched (they are not retried)', () => {
    const error = Object.assign(new Error('password authentication failed for user "app"'), {
      code: '28P01',
    });
    expect(withConnectionTarget(error, { host: 'localhost', port: 5432 }, true)).toBe(error);
  });
});
