import { runCli } from './cli';

jest.setTimeout(180_000);

describe('db:copy and db:verify command line', () => {
  const from = '/nonexistent/app.sqlite'; // bad usage is refused before the source is opened
  const to = 'postgres://app:s3cret-pw@127.0.0.1:1/app';

  it.each([
    [
      'an unknown option',
      ['db:copy', '--from', from, '--to', to, '--bogus'],
      /^Error: Unknown option '--bogus'\n/,
    ],
    [
      'a mistyped flag',
      ['db:copy', '--from', from, '--to', to, '--trunc'],
      /^Error: Unknown option '--trunc' \(did you mean --truncate\?\)\n/,
    ],
    [
      'a misspelled flag',
      ['db:copy', '--from', from, '--to', to, '--trunacte'],
      /^Error: Unknown option '--trunacte' \(did you mean --truncate\?\)\n/,
    ],
    [
      'a missing option value',
      ['db:copy', '--to', to, '--from'],
      /--from <value>' argument missing/,
    ],
    [
      'a value for a boolean flag',
      ['db:copy', '--from', from, '--to', to, '--truncate=yes'],
      /'--truncate' does not take an argument/,
    ],
    [
      'an extra argument',
      ['db:copy', 'extra', '--from', from, '--to', to],
      /Unexpected argument: extra/,
    ],
    [
      '--dry-run on db:verify',
      ['db:verify', '--from', from, '--to', to, '--dry-run'],
      /--dry-run is a db:copy flag/,
    ],
    [
      '--truncate on db:verify',
      ['db:verify', '--from', from, '--to', to, '--truncate'],
      /--truncate is a db:copy flag/,
    ],
  ])('refuses %s as bad usage (exit 2)', async (_, args, message) => {
    const result = await runCli(...args);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage:');
    expect(result.stderr + result.stdout).not.toContain('s3cret');
    expect(result.code).toBe(2);
  });

  it.each([
    [
      'a --to with malformed percent-encoding',
      ['db:copy', '--from', from, '--to', 'postgres://app:s3cret%zz@127.0.0.1:1/app'],
      'Error: --to: not a valid URL (malformed percent-encoding)\n',
    ],
    [
      'a --to that is not a PostgreSQL URL (db:copy)',
      ['db:copy', '--from', from, '--to', 'mysql://app:s3cret-pw@127.0.0.1:1/app'],
      'Error: --to: expected a postgres:// or postgresql:// URL\n',
    ],
    [
      'a --to that is not a PostgreSQL URL (db:verify)',
      ['db:verify', '--from', from, '--to', 'mysql://app:s3cret-pw@127.0.0.1:1/app'],
      'Error: --to: expected a postgres:// or postgresql:// URL\n',
    ],
  ])('refuses %s (exit 2), without the usage', async (_, args, message) => {
    const result = await runCli(...args);
    expect(result.stderr).toBe(message); // no password, and no usage: the value is what is wrong
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });

  it('with --json, a usage error is a short JSON error, without the usage text', async () => {
    const result = await runCli('db:copy', '--from', from, '--to', to, '--trunc', '--json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: "Unknown option '--trunc' (did you mean --truncate?)",
      details: [],
    });
    expect(result.stderr).toBe('');
  });
});
