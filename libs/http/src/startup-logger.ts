import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { redactSecrets, secretValues } from '@app/config';

const NEST_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const PINO_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** Nest's JSON console logger, with configured secret values masked in every line. */
class RedactingJsonLogger extends ConsoleLogger {
  private readonly secrets = secretValues();

  protected override stringifyJsonLogObject(logObject: Record<string, unknown>): string {
    return redactSecrets(super.stringifyJsonLogObject(logObject), this.secrets);
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
