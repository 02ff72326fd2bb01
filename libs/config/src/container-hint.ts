import { existsSync } from 'node:fs';
import type { DatabaseConfig, HostSource } from './config.types';

/**
 * True when this process runs in a container: Docker creates `/.dockerenv`, Podman
 * `/run/.containerenv`, and systemd-nspawn and others set the `container` variable.
 */
export function isRunningInContainer(
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
): boolean {
  return Boolean(env.container) || exists('/.dockerenv') || exists('/run/.containerenv');
}

/**
 * A host as the resolver reads it: IPv4 shorthand and numbers (`127.1`, `2130706433`) as dotted
 * quads and IPv6 in its short form (WHATWG URL parsing does both), lower case, brackets and a
 * final dot gone. A name that is no valid URL host is returned as given.
 */
function canonicalHost(host: string): string {
  const name = host.trim().replace(/^\[(.*)\]$/, '$1');
  try {
    const { hostname } = new URL(`http://${name.includes(':') ? `[${name}]` : name}`);
    return hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return name.toLowerCase();
  }
}

/**
 * True for names and addresses that mean "this machine": localhost, 127.0.0.0/8, ::1, the
 * unspecified addresses 0.0.0.0 and :: (a connection to them reaches this machine), and
 * 127.x.x.x mapped into IPv6.
 */
export function isLoopbackHost(host: string): boolean {
  const name = canonicalHost(host);
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '::1' ||
    name === '::' ||
    name === '0.0.0.0' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) ||
    /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(name)
  );
}

/**
 * The start-up warning for the same mistake the other way round: HOST, the address the API
 * listens on, is a loopback address in a container. The container's own healthcheck (which
 * asks 127.0.0.1) then passes, while a published port and the other containers (the Compose
 * network) are refused. Worded as a condition: a proxy in the same container or pod is rightly
 * the only client. 0.0.0.0 and :: (every address) are what a container wants.
 */
export function listenHostHint(
  host: string,
  inContainer: boolean = isRunningInContainer(),
): string | undefined {
  const name = canonicalHost(host);
  if (!inContainer || !isLoopbackHost(host) || name === '0.0.0.0' || name === '::') {
    return undefined;
  }
  return (
    `HOST=${host} is a loopback address and this process runs in a container: the API answers ` +
    `only from inside this container, not on a published port nor to other containers. Unless ` +
    `a proxy in this same container or pod is its only client, set HOST=0.0.0.0 (the image's ` +
    `default) or leave HOST unset`
  );
}

/**
 * The warning for the classic Compose mistake: a containerised app whose PostgreSQL host is
 * localhost, which inside a container is the container itself. Undefined when it does not apply.
 */
export function containerLocalhostHint(
  host: string,
  inContainer: boolean = isRunningInContainer(),
  hostVariable: HostSource = 'POSTGRES_HOST',
): string | undefined {
  if (!inContainer || !isLoopbackHost(host)) return undefined;
  return (
    `the PostgreSQL host is ${host}, but this process runs in a container, where localhost ` +
    `is the container itself, not the database. Use the Compose service name instead ` +
    `${serviceNameExample(hostVariable)} and the container's port (5432), not a port ` +
    `published on the host`
  );
}

/**
 * The start-up warning for that configuration, before any connection is tried (the hint above
 * comes with each failed one). Worded as a condition: a database in the same container or pod,
 * such as a sidecar proxy, is rightly reached through localhost. Only PostgreSQL has a host.
 */
export function databaseHostHint(
  database: DatabaseConfig,
  inContainer: boolean = isRunningInContainer(),
): string | undefined {
  if (database.type !== 'postgres' || !inContainer || !isLoopbackHost(database.host)) {
    return undefined;
  }
  return (
    `the PostgreSQL host is ${database.host} and this process runs in a container, where ` +
    `localhost is the container itself: unless PostgreSQL runs in this same container or pod, ` +
    `use the Compose service name instead ${serviceNameExample(database.hostVariable)} and the ` +
    `container's port (5432)`
  );
}

/**
 * The hint for a host name that does not resolve in a container (getaddrinfo's ENOTFOUND, or
 * EAI_AGAIN): in Compose, a service's name resolves only while its container runs, and only on
 * its project's network. So a stopped or never-started `db`, a one-off `docker run` outside the
 * project, or a misspelt name all end here. Only for a one-label name, as Compose's are: a full
 * domain name that does not resolve is no Compose matter. Undefined when it does not apply.
 */
export function unresolvedServiceHint(
  host: string,
  code: string | undefined,
  inContainer: boolean = isRunningInContainer(),
  hostVariable: HostSource = 'POSTGRES_HOST',
): string | undefined {
  if (!inContainer || (code !== 'ENOTFOUND' && code !== 'EAI_AGAIN')) return undefined;
  if (!isServiceName(host)) return undefined;
  return (
    `no container answers to the name ${host} on this container's networks. In Docker ` +
    `Compose a service's name resolves only while its container runs, and only for containers ` +
    `of the same project: start the database (docker compose up -d --wait; docker compose ps ` +
    `lists what runs), run one-off commands with docker compose run in that project (not ` +
    `docker run), and check ${hostPlace(hostVariable)} against the database's service name ` +
    `(db in docker-compose.yml)`
  );
}

/** A host that looks like a Compose service name: one label, not this machine. */
const isServiceName = (host: string) =>
  /^[a-z0-9][a-z0-9_-]*$/i.test(host) && !isLoopbackHost(host);

/**
 * The hint for a connection refused on a port other than PostgreSQL's by a service name in a
 * container: the mistake of taking the port published on the host (`ports: "5433:5432"`) for
 * the one other containers use. Worded as a condition: a server may listen there on purpose.
 * Undefined when it does not apply.
 */
export function publishedPortHint(
  host: string,
  port: number,
  code: string | undefined,
  inContainer: boolean = isRunningInContainer(),
  hostVariable: HostSource = 'POSTGRES_HOST',
): string | undefined {
  if (!inContainer || code !== 'ECONNREFUSED' || port === 5432 || !isServiceName(host)) {
    return undefined;
  }
  const fix =
    hostVariable === 'POSTGRES_HOST'
      ? 'set POSTGRES_PORT=5432 or leave it unset'
      : `make ${portPlace(hostVariable)} 5432 (or leave it out)`;
  return (
    `nothing listens on port ${port} of ${host}. Containers on a Compose network reach a ` +
    `service on its container's port (5432 for PostgreSQL), not a port published on the host ` +
    `(ports: "${port}:5432"): unless its server listens on ${port}, ${fix}`
  );
}

/** Where the port was set, when it came with the host in a URL. */
function portPlace(hostVariable: Exclude<HostSource, 'POSTGRES_HOST'>): string {
  if (hostVariable === '--to') return 'the port in the --to URL';
  if (hostVariable === 'DATABASE_URL_FILE') return 'the port in the URL in DATABASE_URL_FILE';
  return 'the port in DATABASE_URL';
}

/** Where the host was set, for the hints: a variable, or the host part of a URL. */
function hostPlace(hostVariable: HostSource): string {
  if (hostVariable === '--to') return 'the host part of the --to URL';
  if (hostVariable === 'DATABASE_URL') return 'the host part of DATABASE_URL';
  if (hostVariable === 'DATABASE_URL_FILE') {
    return 'the host part of the URL in the DATABASE_URL_FILE file';
  }
  return hostVariable;
}

/** POSTGRES_HOST has no effect while DATABASE_URL is set: name the variable the host came from. */
function serviceNameExample(hostVariable: HostSource): string {
  // A configuration without DATABASE_URL may leave hostVariable unset: POSTGRES_HOST, then.
  if (!hostVariable || hostVariable === 'POSTGRES_HOST') return '(e.g. POSTGRES_HOST=db)';
  // Not a whole URL: start-up errors go through redactSecrets, which would mask its password.
  return `(e.g. ${hostPlace(hostVariable)}, after the @: …@db:5432/name)`;
}

/**
 * The start-up warning for a PostgreSQL URL given without DB_TYPE=postgres: the app runs on its
 * default, SQLite, which someone moving to PostgreSQL would not notice until the data is missing.
 */
export function ignoredUrlHint(database: DatabaseConfig): string | undefined {
  if (database.type !== 'sqlite' || !database.ignoredUrl) return undefined;
  return (
    `${database.ignoredUrl} is set but DB_TYPE is not, so the app uses SQLite (the default) at ` +
    `${database.path}; set DB_TYPE=postgres to use PostgreSQL`
  );
}
