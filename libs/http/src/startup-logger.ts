import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { hostname } from 'node:os';
import { redactSecrets, secretValues } from '@app/config';

const NEST_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const PINO_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** Pino's number for each of Nest's levels. */
const PINO_LEVEL_NUMBERS: Record<string, number> = {
  fatal: 60,
  error: 50,
  warn: 40,
  log: 30,
  debug: 20,
  verbose: 10,
};

/**
 * Nest's JSON console logger writing the lines pino writes once it takes over (`level` as a
 * number, `time`, `pid`, `hostname`, `context`, `err` with its `type`, `msg`), so one parser
 * reads the whole log; configured secret values are masked in every line.
 */
class RedactingJsonLogger extends ConsoleLogger {
  private readonly secrets = secretValues();
  private readonly hostname = hostname();

  protected override stringifyJsonLogObject(logObject: Record<string, unknown>): string {
    return redactSecrets(super.stringifyJsonLogObject(this.asPinoLine(logObject)), this.secrets);
  }

  private asPinoLine(nest: Record<string, unknown>): Record<string, unknown> {
    const { level, timestamp, pid, message, context, stack, error, ...params } = nest;
    const { name, ...errorFields } = (error ?? {}) as Record<string, unknown>;
    const err = error ? { type: name, ...errorFields } : stack ? { stack } : undefined;
    return {
      level: PINO_LEVEL_NUMBERS[level as string] ?? PINO_LEVEL_NUMBERS.log,
      time: timestamp,
      pid,
      hostname: this.hostname,
      ...(context ? { context } : {}),
      ...params,
      ...(err ? { err } : {}),
      msg: message,
    };
  }
}

/**
 * JSON lines for what Nest logs before pino takes over (module start-up and start-up
 * failures), honouring LOG_LEVEL; `silent` logs nothing.
 */
export function createStartupLogger(logLevel = process.env.LOG_LEVEL ?? 'info'): ConsoleLogger {
  const index = PINO_LEVELS.indexOf(logLevel);
  const logLevels = logLevel === 'silent' ? [] : NEST_LEVELS.slice(0, index < 0 ? 4 : index + 1);
  return new RedactingJsonLogger({ json: true, colors: false, logLevels });
}

/**
 * A log reader that goes away (`npm start | head`) does not stop the API: after an EPIPE on
 * stdout or stderr their lines are dropped, as pino drops its own. Without this, the first
 * start-up line written to a closed pipe crashed the process. Other stream errors still do.
 */
export function dropLinesOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}
