import { Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpConfig } from '@app/config';
import { DrainState } from './drain-state';

/** Time after the grace period for the database to close before giving up with exit 1. */
const CLOSE_MARGIN_MS = 5000;
/** How often a closing server looks for connections with no request in flight. */
const IDLE_CHECK_MS = 100;

/**
 * On SIGTERM/SIGINT: readiness answers 503 at once, and the answer to each request that arrives
 * from then on closes its connection; after SHUTDOWN_DRAIN_MS (so that load balancers and Compose
 * notice) the server stops accepting connections, in-flight requests get SHUTDOWN_GRACE_MS to
 * finish, then the database closes and the process exits 0. A second signal exits 1 at once.
 */
export function enableGracefulShutdown(app: NestFastifyApplication): void {
  const logger = new Logger('Shutdown');
  const { shutdownDrainMs, shutdownGraceMs } = app.get<ConfigType<typeof httpConfig>>(
    httpConfig.KEY,
  );
  const state = app.get(DrainState);
  const server = app.getHttpServer() as Server;
  // Node counts a connection that has not sent a byte yet as busy (it awaits the headers of its
  // first request), so closeIdleConnections() never closes it, and the server waits for it
  // until the grace period ends. Node's fetch opens one after each aborted request and keeps
  // it for the keep-alive timeout (72 s). Tracked from the start: it may predate the signal.
  const connections = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  const closeIdle = () => {
    server.closeIdleConnections();
    for (const socket of connections) if (socket.bytesRead === 0) socket.destroy();
  };

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (state.draining) {
      logger.warn(`${signal} received again: exiting at once`);
      process.exit(1);
    }
    state.draining = true;
    // Each request from now on is answered `Connection: close` (Node ends the connection once
    // the answer is written): its client sends the next request on a new connection, accepted
    // until the drain ends, rather than on one about to close. A listener added now, not a hook
    // run on every answer, so that serving costs nothing more before shutdown (an onSend hook
    // cost ~3% of /health/live's rate). Answers to requests already in flight keep keep-alive;
    // each of their connections is closed as soon as it is idle (below).
    server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) =>
      response.setHeader('connection', 'close'),
    );
    logger.log(`${signal} received: readiness is 503; closing in ${shutdownDrainMs} ms`);
    await sleep(shutdownDrainMs);
    logger.log(`Refusing new connections; in-flight requests have ${shutdownGraceMs} ms`);
    const grace = setTimeout(() => {
      logger.warn('Grace period over: cutting the remaining connections');
      server.closeAllConnections();
    }, shutdownGraceMs);
    const deadline = setTimeout(() => {
      logger.error('Did not close in time: exiting');
      process.exit(1);
    }, shutdownGraceMs + CLOSE_MARGIN_MS);
    // Closing the server closes the connections idle at that moment only: a keep-alive
    // connection whose in-flight request finishes later would stay open, and the process with
    // it, until the grace period cuts it. Each is closed once its request is done instead.
    const idle = setInterval(closeIdle, IDLE_CHECK_MS);
    try {
      await app.close();
      logger.log('Server and database closed');
      process.exitCode = 0;
    } catch (error) {
      logger.error(`Shutdown failed: ${(error as Error).message}`);
      process.exitCode = 1;
    } finally {
      clearTimeout(grace);
      clearTimeout(deadline);
      clearInterval(idle);
      process.exit();
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, (received) => void shutdown(received));
  }
}
