/**
 * Why `url` cannot serve as a PostgreSQL connection URL, or undefined when it can. pg and TypeORM
 * percent-decode the user, password, host and database themselves and throw a bare `URIError:
 * URI malformed` on a bad escape, deep inside the connection attempt; checked here instead, so
 * the caller can name the variable or option. The reason never contains the URL (its password).
 */
export function postgresUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  try {
    for (const part of [parsed.username, parsed.password, parsed.hostname, parsed.pathname]) {
      decodeURIComponent(part);
    }
  } catch {
    return 'not a valid URL (malformed percent-encoding)';
  }
  return undefined;
}
