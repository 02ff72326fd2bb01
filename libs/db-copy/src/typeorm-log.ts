import { AbstractLogger, LogLevel, LogMessage } from 'typeorm';

/**
 * A TypeORM logger that hands every message to `write`. TypeORM always logs migrations (their
 * progress and `Migration "…" failed, error: …`), whatever `logging` says, and its console
 * logger writes them to stdout, where `--json` promises nothing but the report.
 */
export class TypeormLog extends AbstractLogger {
  constructor(private readonly write: (message: string) => void) {
    super(false);
  }

  protected writeLog(
    level: LogLevel,
    message: LogMessage | string | number | (LogMessage | string | number)[],
  ): void {
    for (const { prefix, message: text } of this.prepareLogMessages(message)) {
      this.write(prefix ? `${prefix}: ${String(text)}` : String(text));
    }
  }
}
