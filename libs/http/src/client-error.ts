import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { API_SECURITY_HEADERS } from './request-hook';
import { problem } from './to-problem';

const logger = new Logger('HTTP');

/** Node's parser errors with a status of their own; any other is a 400. */
const CLIENT_ERRORS: Record<string, [status: number, detail: string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time'],
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large'],
};

/**
 * Fastify's `clientErrorHandler`. A request that Node's HTTP parser refuses (raw non-ASCII bytes
 * in the URL, headers over 16 KiB, a request that never finishes arriving) reaches neither the
 * router nor our hook, and Fastify's own answer is bare JSON without our headers. Answered here
 * as every other error: problem+json with a new request id and the security headers; then the
 * connection is closed, as Node and Fastify close it.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'The request is not valid HTTP',
  ];
  const body = JSON.stringify(problem(status, detail));
  const id = randomUUID();
  // A request line as for any other 4xx (info), so the id the client got is in the log; the
  // parser's code and message only, not the error's rawPacket (the request's bytes, headers
  // and all).
  logger.log({
    req: { id, socket },
    res: { statusCode: status, headersSent: true },
    err: { type: 'ClientError', code: error.code, message: error.message },
    msg: 'request refused',
  });
  const headers = {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': id,
    ...API_SECURITY_HEADERS,
    connection: 'close',
  };
  if (socket.writable) {
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join('')}\r\n${body}`);
  }
  socket.destroy(error);
}
