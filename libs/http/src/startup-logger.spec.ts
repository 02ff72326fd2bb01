import { ConsoleLogger } from '@nestjs/common';
import { createStartupLogger } from './startup-logger';

/** Everything `run` writes to stdout and stderr, as the JSON lines they are. */
function written(run: () => void): Record<string, unknown>[] {
  const chunks: string[] = [];
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    run();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** One message at each of Nest's levels; the messages that came out. */
function messagesAtEachLevel(logger: ConsoleLogger): unknown[] {
  return written(() => {
    logger.fatal('fatal message');
    logger.error('error message');
    logger.warn('warn message');
    logger.log('log message');
    logger.debug('debug message');
    logger.verbose('verbose message');
  }).map((line) => line.msg);
}

describe('createStartupLogger', () => {
  it("writes pino's fields, as every later line has them: one parser reads the whole log", () => {
    const logger = createStartupLogger('trace');
    const failure = Object.assign(new TypeError('no such host'), { code: 'ENOTFOUND' });
    const lines = written(() => {
      logger.log('Starting Nest application...', 'NestFactory');
      logger.warn('a warning');
      logger.error(failure, 'ExceptionHandler');
      logger.error('failed', 'Error: failed\n    at x (y.js:1:1)', 'Database');
    });
    const base = { time: expect.any(Number), pid: process.pid, hostname: expect.any(String) };
    expect(lines).toEqual([
      { level: 30, ...base, context: 'NestFactory', msg: 'Starting Nest application...' },
      { level: 40, ...base, msg: 'a warning' },
      {
        level: 50,
        ...base,
        context: 'ExceptionHandler',
        err: {
          type: 'TypeError',
          message: 'no such host',
          stack: failure.stack,
          code: 'ENOTFOUND',
        },
        msg: 'no such host',
      },
      {
        level: 50,
        ...base,
        context: 'Database',
        err: { stack: 'Error: failed\n    at x (y.js:1:1)' },
        msg: 'failed',
      },
    ]);
    // The order pino writes them in: level first, the message last.
    expect(lines.map((line) => Object.keys(line)[0])).toEqual(['level', 'level', 'level', 'level']);
    expect(lines.map((line) => Object.keys(line).pop())).toEqual(['msg', 'msg', 'msg', 'msg']);
  });

  it.each([
    ['fatal', ['fatal']],
    ['warn', ['fatal', 'error', 'warn']],
    ['info', ['fatal', 'error', 'warn', 'log']],
    ['debug', ['fatal', 'error', 'warn', 'log', 'debug']],
    ['trace', ['fatal', 'error', 'warn', 'log', 'debug', 'verbose']],
    ['silent', []],
  ])('LOG_LEVEL=%s writes Nest levels %j, nothing below', (level, shown) => {
    expect(messagesAtEachLevel(createStartupLogger(level))).toEqual(
      shown.map((name) => `${name} message`),
    );
  });

  it('writes JSON lines with the configured secrets and URL passwords masked', () => {
    const saved = process.env.POSTGRES_PASSWORD;
    process.env.POSTGRES_PASSWORD = 'Startup-secret-91';
    try {
      const logger = createStartupLogger('info');
      const lines = written(() => {
        logger.error('login failed with Startup-secret-91', 'TypeOrmModule');
        logger.log('see postgres://app:Other-pw-92@db.example/tasks', 'InstanceLoader');
      });
      expect(lines).toMatchObject([
        { level: 50, context: 'TypeOrmModule', msg: 'login failed with [REDACTED]' },
        {
          level: 30,
          context: 'InstanceLoader',
          msg: 'see postgres://app:[REDACTED]@db.example/tasks',
        },
      ]);
    } finally {
      if (saved === undefined) delete process.env.POSTGRES_PASSWORD;
      else process.env.POSTGRES_PASSWORD = saved;
    }
  });

  it('masks a secret that its JSON line writes escaped (a quote, a backslash, a CR)', () => {
    const saved = process.env.POSTGRES_PASSWORD;
    process.env.POSTGRES_PASSWORD = 'Qu"ote\\d-Startup-96\r';
    try {
      const lines = written(() =>
        createStartupLogger('info').error(`login failed with ${process.env.POSTGRES_PASSWORD}`),
      );
      expect(lines).toMatchObject([{ level: 50, msg: 'login failed with [REDACTED]' }]);
    } finally {
      if (saved === undefined) delete process.env.POSTGRES_PASSWORD;
      else process.env.POSTGRES_PASSWORD = saved;
    }
  });
});
