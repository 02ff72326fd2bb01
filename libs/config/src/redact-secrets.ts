import { SECRET_VARIABLES } from './env.schema';

export const REDACTED = '[REDACTED]';

/**
 * Query parameters of a PostgreSQL URL that carry a password: pg honours
 * `postgres://u@host/db?password=...` (and `sslpassword` for the client key) like the userinfo one.
 */
export const SECRET_URL_PARAMETERS = ['password', 'sslpassword'];

const isSecretParameter = (name: string): boolean =>
  SECRET_URL_PARAMETERS.includes(name.toLowerCase());

/** The passwords a URL carries: its userinfo password and its password query parameters. */
export function urlPasswords(url: URL): string[] {
  const passwords = url.password ? [url.password] : [];
  for (const [name, value] of url.searchParams) if (isSecretParameter(name)) passwords.push(value);
  return passwords;
}

/**
 * Every form a secret could be printed in: raw, URL-encoded and URL-decoded, each also as a JSON
 * string holds it (log lines are JSON: a `"`, a `\` or a control character, such as the CR a
 * Windows-saved `*_FILE` keeps, is written escaped).
 */
function variants(value: string): string[] {
  const forms = [value, encodeURIComponent(value)];
  try {
    forms.push(decodeURIComponent(value));
  } catch {
    // not URL-encoded text: nothing to add
  }
  return forms.flatMap((form) => [form, JSON.stringify(form).slice(1, -1)]);
}

const loadedSecrets = new Set<string>();

/**
 * Notes the secret values a loaded configuration holds: those from `.env` or a `*_FILE` file
 * are not in `process.env`, and `secretValues()` must mask them as well.
 */
export function rememberSecrets(env: Record<string, string | undefined>): void {
  for (const name of SECRET_VARIABLES) if (env[name]) loadedSecrets.add(env[name]);
}

/**
 * The secret values of `env` (by default the process's, with those `rememberSecrets` noted):
 * each secret variable and the passwords inside `DATABASE_URL`.
 */
export function secretValues(env?: Record<string, string | undefined>): string[] {
  const values = SECRET_VARIABLES.map((name) => (env ?? process.env)[name]);
  const secrets = [...values, ...(env ? [] : loadedSecrets)].filter(
    (value): value is string => !!value,
  );
  // Trimmed, as the configuration reads DATABASE_URL (and as a URL parses).
  for (const url of secrets.filter((value) => /^postgres(ql)?:\/\//.test(value.trim()))) {
    try {
      secrets.push(...urlPasswords(new URL(url.trim())));
    } catch {
      // an invalid URL is reported by validation, never echoed
    }
  }
  return [...new Set(secrets.flatMap(variants))]
    .filter((value) => value.length >= 3)
    .sort((a, b) => b.length - a.length);
}

/** `?password=value` / `&sslpassword=value` in a URL's query, whatever the URL. */
const PASSWORD_PARAMETER = new RegExp(
  `([?&](?:${SECRET_URL_PARAMETERS.join('|')})=)[^\\s&#]+`,
  'gi',
);

/**
 * Masks secret values (and the password part or password query parameters of any URL) in
 * `text`. Applied to every log line and start-up error, so a driver message can never leak a
 * secret.
 */
export function redactSecrets(text: string, secrets: string[] = secretValues()): string {
  // The known values first: masking a URL's password first would cut a configured URL apart
  // and leave it unrecognised.
  let masked = text;
  for (const secret of secrets) masked = masked.split(secret).join(REDACTED);
  // Up to the authority's last @, as URL parsers (pg's included) read it: a raw @ may be in the
  // password. Not past a `"`: in a JSON line that would run on into the next field.
  return masked
    .replace(/(\w+:\/\/[^\s:/@"]*:)[^\s/"]+@/g, `$1${REDACTED}@`)
    .replace(PASSWORD_PARAMETER, `$1${REDACTED}`);
}
