import { spawnSync } from 'node:child_process';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion (bounded by `timeoutMs`) and returns its exit code and output. */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Run {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 900_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    code: result.status ?? -1,
    stdout: result.stdout ?? '',
    stderr: (result.stderr ?? '') + (result.error ? `\n${result.error.message}` : ''),
    ms: Date.now() - started,
  };
}

/** Like `run`, but throws with the command's output when it exits non-zero. */
export function ok(command: string, args: string[], options?: Parameters<typeof run>[2]): Run {
  const result = run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

export interface ContainerState {
  Status: string;
  ExitCode: number;
  StartedAt: string;
  FinishedAt: string;
  Health?: { Status: string; Log: { ExitCode: number; Output: string }[] };
}

export interface Container {
  Id: string;
  RestartCount: number;
  State: ContainerState;
  Config: { User: string; Labels: Record<string, string> };
}

/** `docker inspect` of one container. */
export function inspect(id: string): Container {
  return (JSON.parse(ok('docker', ['inspect', id]).stdout) as Container[])[0];
}

/** First time each service of a Compose project reported `health_status: healthy` since `since`. */
export function firstHealthyTimes(project: string, since: Date): Map<string, number> {
  const events = ok('docker', [
    'events',
    '--since',
    String(Math.floor(since.getTime() / 1000) - 1),
    '--until',
    String(Math.ceil(Date.now() / 1000) + 1),
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--filter',
    'event=health_status',
    '--format',
    '{{json .}}',
  ]).stdout;
  const times = new Map<string, number>();
  for (const line of events.split('\n').filter(Boolean)) {
    const event = JSON.parse(line) as {
      Action: string;
      timeNano: number;
      Actor: { Attributes: Record<string, string> };
    };
    const service = event.Actor.Attributes['com.docker.compose.service'];
    const at = event.timeNano / 1e6;
    if (event.Action.endsWith('healthy') && !event.Action.endsWith('unhealthy')) {
      if (!times.has(service) || times.get(service)! > at) times.set(service, at);
    }
  }
  return times;
}
