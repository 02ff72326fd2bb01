import { SECRET_VARIABLES } from './env.schema';

export const REDACTED = '[REDACTED]';

/** Every form a secret could be printed in: raw, URL-encoded and URL-decoded. */
function variants(value: string): string[] {
  const forms = [value, encodeURIComponent(value)];
  try {
    forms.push(decodeURIComponent(value));
  } catch {
    // not URL-encoded text: nothing to add
  }
  return forms;
}

/** The secret values of `env`: each secret variable and the password inside `DATABASE_URL`. */
export function secretValues(env: Record<string, string | undefined> = process.env): string[] {
  const secrets = SECRET_VARIABLES.map((name) => env[name]).filter(
    (value): value is string => !!value,
  );
  for (const url of secrets.filter((value) => /^postgres(ql)?:\/\//.test(value))) {
    try {
      const { password } = new URL(url);
      if (password) secrets.push(password);
    } catch {
      // an invalid URL is reported by validation, never echoed
    }
  }
  return [...new Set(secrets.flatMap(variants))]
    .filter((value) => value.length >= 3)
    .sort((a, b) => b.length - a.length);
}

/**
 * Masks secret values (and the password part of any `scheme://user:password@` URL) in `text`.
 * Applied to every log line and start-up error, so a driver message can never leak a secret.
 */
export function redactSecrets(text: string, secrets: string[] = secretValues()): string {
  let masked = text.replace(/(\w+:\/\/[^\s:/@]*:)[^\s@/]+@/g, `$1${REDACTED}@`);
  for (const secret of secrets) masked = masked.split(secret).join(REDACTED);
  return masked;
}
