import { runCli, spawnCli } from './cli';

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
      /Unexpected argument after db:copy \(not shown/,
    ],
    [
      '--from given twice (only one source is copied)',
      ['db:copy', '--from', from, '--to', to, '--from', '/nonexistent/other.sqlite'],
      /^Error: --from is given twice: give one source\n/,
    ],
    [
      '--to given twice',
      ['db:verify', '--from', from, '--to', to, '--to', to],
      /^Error: --to is given twice: give one target\n/,
    ],
    [
      '--on-invalid given twice',
      ['db:copy', '--from', from, '--to', to, '--on-invalid=null', '--on-invalid', 'fail'],
      /^Error: --on-invalid is given twice: give it once\n/,
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

  it.each(['db:copy', 'db:verify'])(
    '%s without --to says which PostgreSQL variables DB_TYPE leaves unused (exit 2), not their values',
    async (command) => {
      // Empty real variables hide a developer's .env (DB_TYPE then defaults to sqlite).
      const hidden = Object.fromEntries(
        ['DB_TYPE', 'DATABASE_URL', 'POSTGRES_HOST', 'POSTGRES_PORT']
          .concat(['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB'])
          .map((name) => [name, '']),
      );
      const unused = await spawnCli([command, '--from', from], { ...hidden, DATABASE_URL: to })
        .result;
      expect(unused.stderr).toBe(
        'Error: No target: DATABASE_URL is set but DB_TYPE is not postgres: set DB_TYPE=postgres ' +
          'or pass --to <postgres url>\n',
      );
      expect(unused.code).toBe(2);
      const parts = { ...hidden, POSTGRES_HOST: 'db', POSTGRES_PASSWORD: 's3cret-pw' };
      const several = await spawnCli([command, '--from', from, '--json'], parts).result;
      expect(JSON.parse(several.stdout).error).toBe(
        'No target: POSTGRES_HOST and POSTGRES_PASSWORD are set but DB_TYPE is not postgres: ' +
          'set DB_TYPE=postgres or pass --to <postgres url>',
      );
      expect(several.stdout + several.stderr).not.toContain('s3cret');
      expect(several.code).toBe(2);
      const none = await spawnCli([command, '--from', from], hidden).result;
      expect(none.stderr).toBe(
        'Error: No target: pass --to <postgres url> or configure DB_TYPE=postgres\n',
      );
      expect(none.code).toBe(2);
    },
  );

  // `--to postgres://app:correct horse staple@…` unquoted: the shell splits the password, and
  // its pieces arrive as extra arguments (or as the command, when it comes after them).
  it.each([
    [
      'after the command',
      [
        'db:verify',
        '--from',
        from,
        '--to',
        'postgres://app:correct',
        'horse',
        'staple@127.0.0.1:1/app',
      ],
      /^Error: Unexpected argument after db:verify \(not shown/,
    ],
    [
      'before the command',
      ['--to', 'postgres://app:correct', 'horse@127.0.0.1:1/app', 'db:verify', '--from', from],
      /^Error: Unknown command \(not shown/,
    ],
  ])(
    'never echoes a stray argument %s: it may be a piece of an unquoted password',
    async (_, args, message) => {
      for (const json of [false, true]) {
        const result = await runCli(...args, ...(json ? ['--json'] : []));
        expect(result.code).toBe(2);
        const output = result.stdout + result.stderr;
        if (json) expect(`Error: ${JSON.parse(result.stdout).error}`).toMatch(message);
        else expect(result.stderr).toMatch(message);
        expect(output).not.toMatch(/correct|horse|staple/);
      }
    },
  );

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
