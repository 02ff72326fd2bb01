import { SECRET_URL_PARAMETERS } from '@app/config';

/**
 * An expected failure with a message for the user and a process exit code:
 * 1 = the data or target refused (orphans, invalid values, non-empty target, verify mismatch),
 * 2 = bad input or environment (missing file, unreachable server, schema not migrated).
 */
export class DbCopyError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    readonly details: unknown[] = [],
  ) {
    super(message);
    this.name = 'DbCopyError';
  }
}

/** The URL without its passwords (userinfo and `?password=`-style parameters), for messages. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_URL_PARAMETERS.includes(name.toLowerCase())) parsed.searchParams.set(name, '****');
    }
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}
