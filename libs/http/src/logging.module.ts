import { Module, RequestMethod } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { levels } from 'pino';
import { httpConfig, redactSecrets, secretValues } from '@app/config';

interface SerializedRequest {
  id: unknown;
  method: string;
  url: string;
  remoteAddress?: string;
  headers?: Record<string, string>;
}

/**
 * Pino's serialized error (type, message, stack, code, SQL...) without the request data a failed
 * query carries: its parameters (names, notes) and PostgreSQL's `detail`, which quotes the row or
 * the key (`Failing row contains (...)`, `Key (name)=(...)`), TypeORM's copy and the driver's.
 * The driver's error keeps its fields but not its stack: TypeORM's says where the query came
 * from, the driver's only pg's parser frames, and a second stack doubles every such line.
 */
function withoutRequestData(error: Record<string, unknown>): Record<string, unknown> {
  const { driverError } = error;
  return {
    ...error,
    parameters: undefined,
    detail: undefined,
    driverError:
      driverError && typeof driverError === 'object'
        ? { ...driverError, detail: undefined, stack: undefined }
        : driverError,
  };
}

/** Request lines are written at `info`; above it the request-logging middleware is not mounted. */
function logsRequests(logLevel: string): boolean {
  return (levels.values[logLevel] ?? Infinity) <= levels.values.info;
}

/**
 * Structured JSON logs (pino): one line per request with its request id and no request headers
 * but the user agent, and every line scrubbed of configured secret values before it is written.
 * A 5xx's line is at `error` and carries the error (`res.err`, set by ProblemDetailsFilter).
 * With LOG_LEVEL above `info` no request line would be written, so the middleware (a child
 * logger, listeners and an async context per request) is not mounted at all; ProblemDetailsFilter
 * then writes a 5xx's error line itself, with the request's id, method, url, status and time.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [httpConfig.KEY],
      useFactory: (config: ConfigType<typeof httpConfig>) => {
        const secrets = secretValues();
        return {
          // Probes never pay for request logging: the middleware does not run on health routes.
          forRoutes: logsRequests(config.logLevel) ? undefined : [],
          exclude: [
            { path: 'health', method: RequestMethod.ALL },
            { path: 'health/live', method: RequestMethod.ALL },
          ],
          pinoHttp: {
            level: config.logLevel,
            hooks: { streamWrite: (line: string) => redactSecrets(line, secrets) },
            serializers: {
              // No headers but the user agent: credentials (Authorization, Cookie) never get in.
              req: (req: SerializedRequest) => ({
                id: req.id,
                method: req.method,
                url: req.url,
                remoteAddress: req.remoteAddress,
                userAgent: req.headers?.['user-agent'],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              err: withoutRequestData,
            },
            customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
              error || res.statusCode >= 500 ? 'error' : 'info',
          },
        };
      },
    }),
  ],
})
export class LoggingModule {}
