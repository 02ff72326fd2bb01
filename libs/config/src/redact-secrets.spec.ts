import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';
import { REDACTED, redactSecrets, secretValues } from './redact-secrets';

describe('redactSecrets', () => {
  const env = {
    POSTGRES_PASSWORD: 'p@ss:w/rd%#',
    DATABASE_URL: 'postgres://app:s3cr%40t@db:5432/app',
  };

  it('masks secret values in raw, encoded and decoded forms', () => {
    const secrets = secretValues(env);
    const text = 'a p@ss:w/rd%# b p%40ss%3Aw%2Frd%25%23 c s3cr@t d s3cr%40t';
    const masked = redactSecrets(text, secrets);
    expect(masked).not.toMatch(/p@ss|s3cr/);
    expect(masked.split(REDACTED)).toHaveLength(5);
  });

  it('masks the password of any URL with credentials, known or not', () => {
    expect(redactSecrets('connect postgres://u:unknown@h:1/d failed', [])).toBe(
      `connect postgres://u:${REDACTED}@h:1/d failed`,
    );
  });

  it('masks passwords given as URL query parameters (pg honours ?password= and ?sslpassword=)', () => {
    const secrets = secretValues({
      DATABASE_URL:
        'postgres://app@db:5432/app?sslmode=require&password=TopSecret1&sslpassword=KeyPass2',
    });
    expect(secrets).toEqual(expect.arrayContaining(['TopSecret1', 'KeyPass2']));
    expect(redactSecrets('auth failed for TopSecret1 / KeyPass2', secrets)).not.toMatch(
      /TopSecret1|KeyPass2/,
    );
    expect(
      redactSecrets('connect postgres://u@h/d?sslmode=require&PASSWORD=unknown1#x failed', []),
    ).toBe(`connect postgres://u@h/d?sslmode=require&PASSWORD=${REDACTED}#x failed`);
    // The value ends at white space: the rest of the message stays.
    expect(redactSecrets('connect postgres://h/d?password=unknown1 failed: timeout', [])).toBe(
      `connect postgres://h/d?password=${REDACTED} failed: timeout`,
    );
    // A parameter name in any case is a password too, and its value is masked anywhere.
    expect(secretValues({ DATABASE_URL: 'postgres://h/d?PassWord=Hunter22' })).toContain(
      'Hunter22',
    );
  });

  it('masks secrets of 3 characters or more, the longer one first when one holds another', () => {
    expect(secretValues({ POSTGRES_PASSWORD: 'abc' })).toContain('abc');
    expect(secretValues({ POSTGRES_PASSWORD: 'ab' })).toEqual([]);
    const secrets = secretValues({
      POSTGRES_PASSWORD: 'abc',
      DATABASE_URL: 'postgres://u:abcdef@h/d',
    });
    expect(redactSecrets('got abcdef', secrets)).toBe(`got ${REDACTED}`);
  });

  it('masks a secret as a JSON log line writes it (a quote, a backslash, a kept CR escaped)', () => {
    // A POSTGRES_PASSWORD_FILE saved with Windows line endings keeps its CR (as the postgres
    // image reads it); pino and Nest's JSON logger write `"`, `\\` and a CR escaped.
    const password = 'Qu"ote\\d-Secret-93\r';
    const line = JSON.stringify({ msg: `login failed with ${password} (then more)` });
    const masked = redactSecrets(line, secretValues({ POSTGRES_PASSWORD: password }));
    expect(masked).not.toMatch(/Qu|Secret-93/);
    expect(JSON.parse(masked)).toEqual({ msg: `login failed with ${REDACTED} (then more)` });
  });

  it('masks the password of a DATABASE_URL given with surrounding blanks (the config trims them)', () => {
    const secrets = secretValues({ DATABASE_URL: ' postgres://app:Blank-Secret-94@db:5432/app\n' });
    expect(redactSecrets('auth failed: Blank-Secret-94', secrets)).toBe(`auth failed: ${REDACTED}`);
  });

  it('masks all of a URL password holding a raw @ (the URL takes its last @)', () => {
    const url = 'postgres://app:p@ss@Secret-95@db:5432/app';
    const masked = redactSecrets(`connect ${url} failed`, secretValues({ DATABASE_URL: url }));
    expect(masked).not.toMatch(/ss|Secret-95/);
    expect(redactSecrets(`connect ${url} failed`, [])).toBe(
      `connect postgres://app:${REDACTED}@db:5432/app failed`,
    );
    const line = JSON.stringify({ url: 'postgres://u:pw@db', contact: 'ops@example.com' });
    expect(JSON.parse(redactSecrets(line, []))).toEqual({
      url: `postgres://u:${REDACTED}@db`,
      contact: 'ops@example.com',
    });
  });

  it('ignores unset and trivially short values', () => {
    expect(secretValues({ POSTGRES_PASSWORD: 'x' })).toEqual([]);
  });
});

describe('secrets the configuration loaded from files', () => {
  it('are masked too: a password from POSTGRES_PASSWORD_FILE or .env is not in process.env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redact-spec-'));
    const passwordFile = join(dir, 'pw');
    writeFileSync(passwordFile, 'from-a-file-9x7\n');
    const envFile = join(dir, '.env');
    writeFileSync(envFile, "DATABASE_URL_FILE=\nLOG_LEVEL=info\nPOSTGRES_DB='db'\n");
    loadConfig(
      { DB_TYPE: 'postgres', POSTGRES_USER: 'app', POSTGRES_PASSWORD_FILE: passwordFile },
      envFile,
    );
    const urlEnv = join(dir, 'url.env');
    writeFileSync(
      urlEnv,
      'DB_TYPE=postgres\nDATABASE_URL=postgres://app@db/app?password=in-dotenv-4k2\n',
    );
    loadConfig({}, urlEnv);
    expect(redactSecrets('auth failed: from-a-file-9x7; in-dotenv-4k2')).toBe(
      `auth failed: ${REDACTED}; ${REDACTED}`,
    );
  });
});
