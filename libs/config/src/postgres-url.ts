/** PostgreSQL connection URLs: building one from the POSTGRES_* parts, and checking URLs and hosts. */
import type { Env } from './env.schema';

/** What a PostgreSQL connection URL looks like (DATABASE_URL, db:copy's --to), and why not. */
export const POSTGRES_URL_PATTERN = /^postgres(ql)?:\/\/.+/;
const POSTGRES_URL_SCHEME = /^postgres(ql)?:\/\//;
export const NOT_A_POSTGRES_URL = 'expected a postgres:// or postgresql:// URL';

/**
 * Why `url` cannot serve as a PostgreSQL connection URL, or undefined when it can. pg takes any
 * scheme (`mysql://…` reached PostgreSQL with that URL's user and password), so the scheme is
 * checked first. pg and TypeORM percent-decode the user, password, host and database themselves
 * and throw a bare `URIError: URI malformed` on a bad escape, deep inside the connection attempt;
 * checked here instead, so the caller can name the variable or option. The reason never contains
 * the URL (its password).
 */
export function postgresUrlProblem(url: string): string | undefined {
  if (!POSTGRES_URL_PATTERN.test(url)) return NOT_A_POSTGRES_URL;
  // A # ? or / in the password ends the authority there: the URL does not parse, or it names
  // the user as the host and leaves the rest (`cd@db:5432/app`) in the fragment, the query or
  // the path (where a database name may hold an @, but not one followed by another /).
  const cut = 'the user or password holds # ? or /, which must be percent-encoded (%23 %3F %2F)';
  const { parsed } = parseLikePg(url) ?? {};
  if (!parsed) return unparsedUrlProblem(url, cut);
  if (parsed.hash || parsed.search.includes('@') || /@[^/]*\//.test(parsed.pathname)) {
    return `not a valid URL: the host part ends early (${cut})`;
  }
  // pg takes ?port= over the authority's port, and fails on a bad one only when it connects
  // (`Port should be >= 0 and < 65536. Received type number (NaN).`), naming no variable.
  const queryPort = parsed.searchParams.get('port');
  if (queryPort && !isPort(queryPort)) {
    return 'not a valid URL: ?port= must be a number from 1 to 65535';
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

const isPort = (text: string) => /^\d{1,5}$/.test(text) && +text >= 1 && +text <= 65535;

/**
 * Why a URL that does not parse is refused, never quoting it. A # ? or / in the user or password
 * (before the last @) cuts the authority short; otherwise the host or port is at fault: a port
 * that is no number up to 65535, or a host that is no host name or address.
 */
function unparsedUrlProblem(url: string, cut: string): string {
  const rest = url.replace(POSTGRES_URL_SCHEME, '');
  const at = rest.lastIndexOf('@');
  if (at >= 0 && /[#?/]/.test(rest.slice(0, at))) return `not a valid URL (${cut})`;
  const hostAndPort = rest.slice(at + 1).split(/[/?#]/)[0];
  const port = /^(?:\[[^\]]*\]|[^:[\]]*):(.*)$/.exec(hostAndPort)?.[1];
  if (port !== undefined && port !== '' && !isPort(port)) {
    return 'not a valid URL: the port after the host must be a number from 1 to 65535';
  }
  return 'not a valid URL: the host is not a valid host name or address';
}

/**
 * The URL as pg (pg-connection-string) parses it: WHATWG URL, and when that fails, again with a
 * stand-in host after an empty one (`postgres://user:pw@/db?host=/cloudsql/…`, the form
 * sockets are given in, which WHATWG refuses with credentials). `host` is the authority's host,
 * decoded, without IPv6 brackets; undefined if neither parses.
 */
function parseLikePg(url: string): { parsed: URL; host: string } | undefined {
  const standIn = '@stand-in-for-no-host/';
  for (const candidate of [url, url.replace('@/', standIn)]) {
    try {
      const parsed = new URL(candidate);
      const host = candidate === url ? decodeURIComponent(parsed.hostname) : '';
      return { parsed, host: host.replace(/^\[(.*)\]$/, '$1') };
    } catch {
      // The next candidate, or undefined.
    }
  }
  return undefined;
}

/**
 * Where pg connects for `url` (checked by `postgresUrlProblem`): the host or socket folder and
 * the port, never the credentials. As in pg, `?host=` and `?port=` win over the authority, and
 * no host at all is localhost.
 */
export function postgresTarget(url: string): { host: string; port: number } {
  const { parsed, host } = parseLikePg(url) ?? {};
  if (!parsed) throw new TypeError('not a valid URL');
  return {
    host: parsed.searchParams.get('host') || host || 'localhost',
    port: Number(parsed.searchParams.get('port') || parsed.port || 5432),
  };
}

/** The database and user a URL names (decoded, '' when absent), as pg reads them; never the password. */
export function postgresLogin(url: string): { database: string; user: string } {
  const { parsed } = parseLikePg(url) ?? {};
  if (!parsed) return { database: '', user: '' };
  return {
    database: decodeURIComponent(parsed.pathname.slice(1)),
    user: decodeURIComponent(parsed.username),
  };
}

/** What is wrong with a POSTGRES_HOST the connection URL cannot carry (`db:5432`, a socket). */
export function postgresHostProblem(host: string): string | undefined {
  if (host.startsWith('/'))
    return 'a socket folder is not supported here; give a host name or address, or the folder in DATABASE_URL as ?host=<folder>';
  if (/^[^:[\]]+:\d+$/.test(host)) {
    return 'holds a port (host:port); give the host alone and the port in POSTGRES_PORT';
  }
  if (/[/?#@\s]/.test(host)) return 'not a host name or address';
  try {
    new URL(buildPostgresUrl({ POSTGRES_HOST: host, POSTGRES_PORT: 5432 }));
    return undefined;
  } catch {
    return 'not a host name or address';
  }
}

/**
 * The database name as the URL's path, read back as written: pg decodes the user and password
 * with decodeURIComponent but the path with decodeURI, which leaves the escapes of `; / : @ & =
 * + $ ,` as they are (`a%2Bb` would name the database `a%2Bb`), so those are written as
 * themselves, which a URL path may hold. (`?` and `#` cannot be carried in the path at all.)
 */
function encodeDatabase(name: string): string {
  return encodeURIComponent(name).replace(/%(2F|3B|3A|40|26|3D|2B|24|2C)/g, (escape) =>
    decodeURIComponent(escape),
  );
}

/** Builds a connection URL from parts, URL-encoding user, password and database. */
export function buildPostgresUrl(
  env: Pick<
    Env,
    'POSTGRES_HOST' | 'POSTGRES_PORT' | 'POSTGRES_USER' | 'POSTGRES_PASSWORD' | 'POSTGRES_DB'
  >,
): string {
  const bare = env.POSTGRES_HOST.replace(/^\[(.*)\]$/, '$1');
  const host = bare.includes(':') ? `[${bare}]` : bare;
  const user = encodeURIComponent(env.POSTGRES_USER ?? '');
  const password = encodeURIComponent(env.POSTGRES_PASSWORD ?? '');
  return `postgres://${user}:${password}@${host}:${env.POSTGRES_PORT}/${encodeDatabase(env.POSTGRES_DB ?? '')}`;
}
