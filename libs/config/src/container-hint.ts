import { existsSync } from 'node:fs';

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

/** True for names and addresses that mean "this machine": localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '::1' ||
    name === '0:0:0:0:0:0:0:1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

/**
 * The hint for the classic Compose mistake: a containerised app whose PostgreSQL host is
 * localhost, which inside a container is the container itself. Undefined when it does not apply.
 * Given only with a failed connection (`withConnectionTarget`): a database in the same container
 * or pod, such as a sidecar proxy, is legitimately reached through localhost.
 */
export function containerLocalhostHint(
  host: string,
  inContainer: boolean = isRunningInContainer(),
): string | undefined {
  if (!inContainer || !isLoopbackHost(host)) return undefined;
  return (
    `the PostgreSQL host is ${host}, but this process runs in a container, where localhost ` +
    `is the container itself, not the database. Use the Compose service name instead ` +
    `(e.g. POSTGRES_HOST=db) and the container's port (5432), not a port published on the host`
  );
}
