import { Logger } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import { answerClientError } from './client-error';

/** A socket that records what was written to it and whether it was destroyed. */
function fakeSocket() {
  const socket = new PassThrough();
  const written: string[] = [];
  socket.on('data', (chunk: Buffer) => written.push(chunk.toString()));
  socket.on('error', () => undefined);
  return { socket, answer: () => written.join('') };
}

const parserError = (code: string | undefined, message = 'Parse Error') =>
  Object.assign(new Error(message), { code }) as NodeJS.ErrnoException;

/** The answer's status line, headers (lower-case names) and JSON body. */
function parse(answer: string) {
  const [head, body] = answer.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
  );
  return { statusLine, headers, body: JSON.parse(body) as unknown, rawBody: body };
}

describe('answerClientError', () => {
  let log: jest.SpyInstance;
  beforeEach(() => {
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => log.mockRestore());

  it.each([
    ['HPE_INVALID_CONSTANT', 'HTTP/1.1 400 Bad Request', 400, 'The request is not valid HTTP'],
    [undefined, 'HTTP/1.1 400 Bad Request', 400, 'The request is not valid HTTP'],
    [
      'ERR_HTTP_REQUEST_TIMEOUT',
      'HTTP/1.1 408 Request Timeout',
      408,
      'The request did not arrive in time',
    ],
    [
      'HPE_HEADER_OVERFLOW',
      'HTTP/1.1 431 Request Header Fields Too Large',
      431,
      'The request headers are too large',
    ],
  ])('answers %s with %s, problem+json, and closes', async (code, statusLine, status, detail) => {
    const { socket, answer } = fakeSocket();
    answerClientError(parserError(code), socket);
    await new Promise(setImmediate);
    const parsed = parse(answer());
    expect(parsed.statusLine).toBe(statusLine);
    expect(parsed.body).toEqual({ type: 'about:blank', title: expect.any(String), status, detail });
    expect(parsed.headers).toMatchObject({
      'content-type': 'application/problem+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(parsed.rawBody)),
      'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      connection: 'close',
    });
    expect(socket.destroyed).toBe(true);
  });

  it("logs the refusal with the answer's id, the parser's code and message, not the request's bytes", async () => {
    const { socket, answer } = fakeSocket();
    const error = Object.assign(parserError('HPE_INVALID_METHOD', 'Invalid method'), {
      rawPacket: Buffer.from('BREW / HTTP/1.1\r\nAuthorization: secret\r\n'),
    });
    answerClientError(error, socket);
    await new Promise(setImmediate);
    const id = parse(answer()).headers['x-request-id'];
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toEqual({
      req: { id, socket },
      res: { statusCode: 400, headersSent: true },
      err: { type: 'ClientError', code: 'HPE_INVALID_METHOD', message: 'Invalid method' },
      msg: 'request refused',
    });
  });

  it('gives each answer a new request id', async () => {
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const { socket, answer } = fakeSocket();
      answerClientError(parserError('HPE_INVALID_METHOD'), socket);
      await new Promise(setImmediate);
      ids.push(parse(answer()).headers['x-request-id']);
    }
    expect(new Set(ids).size).toBe(2);
  });

  it('writes and logs nothing for a connection the client reset, or one already closed', async () => {
    const reset = fakeSocket();
    answerClientError(parserError('ECONNRESET'), reset.socket);
    const closed = fakeSocket();
    closed.socket.destroy();
    answerClientError(parserError('HPE_INVALID_METHOD'), closed.socket);
    await new Promise(setImmediate);
    expect([reset.answer(), closed.answer()]).toEqual(['', '']);
    expect(log).not.toHaveBeenCalled();
  });

  it('only closes a connection it can no longer write to', async () => {
    const { socket, answer } = fakeSocket();
    socket.end();
    answerClientError(parserError('HPE_INVALID_METHOD'), socket);
    await new Promise(setImmediate);
    expect(answer()).toBe('');
    expect(socket.destroyed).toBe(true);
  });
});
