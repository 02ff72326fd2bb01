import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { httpConfig } from '@app/config';
import { DrainState } from './drain-state';
import { enableGracefulShutdown } from './graceful-shutdown';

const DRAIN_MS = 100;
const GRACE_MS = 100;

/** Resolves once `condition` holds (polled), or fails after `ms`. */
async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The shutdown of an app whose `close` is `close`, with the signal handlers captured instead of
 * installed and `process.exit` recorded instead of called.
 */
function shutdownOf(close: () => Promise<void>) {
  const handlers = new Map<string, (signal: NodeJS.Signals) => void>();
  jest.spyOn(process, 'on').mockImplementation(((event: string, handler: () => void) => {
    handlers.set(event, handler);
    return process;
  }) as typeof process.on);
  const exits: (number | undefined)[] = [];
  jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    exits.push(code ?? (process.exitCode as number | undefined));
  }) as typeof process.exit);
  const state = new DrainState();
  const server = { closeAllConnections: jest.fn(), closeIdleConnections: jest.fn() };
  const app = {
    get: (token: unknown) =>
      token === DrainState
        ? state
        : token === httpConfig.KEY && { shutdownDrainMs: DRAIN_MS, shutdownGraceMs: GRACE_MS },
    getHttpServer: () => server,
    close: jest.fn(close),
  };
  enableGracefulShutdown(app as unknown as NestFastifyApplication);
  const signal = (name: NodeJS.Signals) => handlers.get(name)!(name);
  return { signal, exits, state, server, close: app.close };
}

describe('graceful shutdown', () => {
  const exitCode = process.exitCode;
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = exitCode;
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: readiness 503 at once, closes after the drain delay, exits 0',
    async (name) => {
      const { signal, exits, state, close } = shutdownOf(async () => undefined);
      const started = Date.now();
      signal(name);
      expect(state.draining).toBe(true);
      expect(close).not.toHaveBeenCalled();
      await until(() => exits.length > 0);
      expect(close).toHaveBeenCalledTimes(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(DRAIN_MS - 5);
      expect(exits).toEqual([0]);
    },
  );

  it('a second signal exits 1 at once, while the first is still draining', async () => {
    const { signal, exits, close } = shutdownOf(async () => undefined);
    signal('SIGTERM');
    signal('SIGINT');
    expect(exits).toEqual([1]);
    expect(close).not.toHaveBeenCalled();
    // process.exit is only recorded here, so both shutdowns go on: let them end in this test.
    await until(() => exits.length === 3);
  });

  it('exits 1 when closing fails', async () => {
    const { signal, exits } = shutdownOf(async () => {
      throw new Error('the pool would not end');
    });
    signal('SIGTERM');
    await until(() => exits.length > 0);
    expect(exits).toEqual([1]);
  });

  it('cuts the connections still open after the grace period', async () => {
    let finish = () => {};
    const { signal, exits, server } = shutdownOf(
      () => new Promise<void>((resolve) => (finish = resolve)),
    );
    signal('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS + GRACE_MS / 2));
    expect(server.closeAllConnections).not.toHaveBeenCalled();
    await until(() => server.closeAllConnections.mock.calls.length > 0);
    finish();
    await until(() => exits.length > 0);
    expect(exits).toEqual([0]);
  });
});
