import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpConfig } from '@app/config';
import { DrainState } from './drain-state';
import { enableGracefulShutdown } from './graceful-shutdown';

const DRAIN_MS = 100;
const GRACE_MS = 100;
/** How long after the grace period a close that hangs is given up (README: Operations). */
const CLOSE_MARGIN_MS = 5000;

/**
 * Resolves once `condition` holds (polled), or fails after about `ms`. It waits with
 * node:timers/promises, as the drain does: Jest's fake timers leave it real (and fake the clock).
 */
async function until(condition: () => boolean, ms = 2000): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > ms) throw new Error('condition not met in time');
    await sleep(5);
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
  const server = Object.assign(new EventEmitter(), {
    closeAllConnections: jest.fn(),
    closeIdleConnections: jest.fn(),
  });
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
  /** A connection the server accepted, that has read `bytesRead` bytes so far. */
  const connection = (bytesRead: number) => {
    const socket = Object.assign(new EventEmitter(), { bytesRead, destroy: jest.fn() });
    server.emit('connection', socket);
    return socket;
  };
  /** The headers the server's request listeners set on the answer to a request arriving now. */
  const sentHeaders = () => {
    const headers: Record<string, string> = {};
    const response = { setHeader: (name: string, value: string) => (headers[name] = value) };
    server.emit('request', {}, response);
    return headers;
  };
  return { signal, exits, state, server, connection, sentHeaders, close: app.close };
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

  it('closes the connections that have sent nothing once the server closes, not the others', async () => {
    let finish = () => {};
    const { signal, exits, server, connection } = shutdownOf(
      () => new Promise<void>((resolve) => (finish = resolve)),
    );
    const [silent, used, gone] = [connection(0), connection(120), connection(0)];
    gone.emit('close');
    signal('SIGTERM');
    await sleep(DRAIN_MS / 2);
    expect(silent.destroy).not.toHaveBeenCalled(); // still draining: it may send a request
    await until(() => server.closeIdleConnections.mock.calls.length > 0);
    expect(silent.destroy).toHaveBeenCalled();
    // A request begun (its headers may still be arriving) is closeIdleConnections()'s to judge.
    expect(used.destroy).not.toHaveBeenCalled();
    expect(gone.destroy).not.toHaveBeenCalled();
    const late = connection(0); // accepted just before the server stopped listening
    await until(() => late.destroy.mock.calls.length > 0);
    finish();
    await until(() => exits.length > 0);
  });

  it('answers Connection: close to the requests that arrive from the signal on, not before', async () => {
    const { signal, exits, sentHeaders } = shutdownOf(async () => undefined);
    expect(sentHeaders()).toEqual({});
    signal('SIGTERM');
    expect(sentHeaders()).toEqual({ connection: 'close' });
    await until(() => exits.length > 0);
  });

  // Fake timers for the grace period and the deadline; the drain (node:timers/promises) is real.
  describe('closing that hangs', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('exits 1, saying so, 5 s after the grace period', async () => {
      const errors = jest.spyOn(Logger.prototype, 'error');
      const { signal, exits, close } = shutdownOf(() => new Promise<void>(() => undefined));
      signal('SIGTERM');
      await until(() => close.mock.calls.length > 0);
      await jest.advanceTimersByTimeAsync(GRACE_MS + CLOSE_MARGIN_MS - 1);
      expect(exits).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(exits).toEqual([1]);
      expect(errors.mock.calls).toEqual([['Did not close in time: exiting']]);
    });

    it('does not give up on a close that finishes before then', async () => {
      const errors = jest.spyOn(Logger.prototype, 'error');
      let finish = () => {};
      const { signal, exits, close } = shutdownOf(
        () => new Promise<void>((resolve) => (finish = resolve)),
      );
      signal('SIGTERM');
      await until(() => close.mock.calls.length > 0);
      await jest.advanceTimersByTimeAsync(GRACE_MS + CLOSE_MARGIN_MS - 1);
      finish();
      await jest.advanceTimersByTimeAsync(10 * CLOSE_MARGIN_MS);
      expect(exits).toEqual([0]);
      expect(errors).not.toHaveBeenCalled();
    });
  });
});
