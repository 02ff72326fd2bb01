import { parse } from 'dotenv';
import { dotenvComposeMismatches } from './dotenv-compose-mismatches';

const NAMES = new Set(['POSTGRES_PASSWORD', 'DATABASE_URL', 'LOG_LEVEL']);

describe('dotenvComposeMismatches', () => {
  it('refuses an unquoted "#" inside a value: dotenv cuts it there, Compose does not', () => {
    const text = 'POSTGRES_PASSWORD=ab#cd\n';
    expect(parse(text).POSTGRES_PASSWORD).toBe('ab'); // what the app would have used
    const problems = dotenvComposeMismatches(text, NAMES);
    expect(problems).toEqual([
      expect.stringMatching(/^POSTGRES_PASSWORD in \.env: .*"#".*single quotes/),
    ]);
    expect(problems.join()).not.toContain('ab#cd');
  });

  it('refuses "$" where Compose substitutes it: unquoted and double-quoted values', () => {
    const text = 'DATABASE_URL=postgres://${USER}:x@db/app\nPOSTGRES_PASSWORD="p$ss"\n';
    expect(dotenvComposeMismatches(text, NAMES)).toEqual([
      expect.stringMatching(/^DATABASE_URL in \.env: .*"\$"/),
      expect.stringMatching(/^POSTGRES_PASSWORD in \.env: .*"\$"/),
    ]);
  });

  it('accepts values both read alike: single quotes, "#" in quotes, a comment after a blank', () => {
    const text = [
      "POSTGRES_PASSWORD='ab#c$d'",
      'DATABASE_URL="postgres://app:ab#cd@db/app"',
      'LOG_LEVEL=info # a comment for both',
      '# POSTGRES_PASSWORD=ab#cd',
      'export LOG_LEVEL=warn',
    ].join('\r\n');
    expect(dotenvComposeMismatches(text, NAMES)).toEqual([]);
  });

  it('leaves variables the app does not read alone', () => {
    expect(dotenvComposeMismatches('OTHER_APP_SECRET=ab#cd\nPATH_X=$HOME/x\n', NAMES)).toEqual([]);
  });
});
