import { Controller, Get, Inject } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { databaseConfig, httpConfig, redactSecrets } from '@app/config';
import { pendingMigrationNames, pendingMigrationsMessage, pingDatabase } from '@app/database';
import { DrainState } from './drain-state';
import { NOT_READY_SCHEMA, READY_SCHEMA } from './health.schemas';
import { ReadinessLog } from './readiness-log';

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly drain: DrainState,
    private readonly readinessLog: ReadinessLog,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
    @Inject(httpConfig.KEY) private readonly http: ConfigType<typeof httpConfig>,
  ) {}

  /** Readiness: not shutting down, the database answers within the ping timeout, schema current. */
  @Get()
  // Documented here: Terminus's own schema says the 503 is application/json, while the error
  // filter answers problem+json with Terminus's report as extensions.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({
    description: 'Ready to serve: database up, no pending migration',
    schema: READY_SCHEMA,
  })
  @ApiResponse({
    status: 503,
    description: 'Not ready: see `error` and `details` (shutting down, database, migrations)',
    content: { 'application/problem+json': { schema: NOT_READY_SCHEMA } },
  })
  ready() {
    const timeout = this.config.pingTimeoutMs;
    const check = this.health.check([
      () =>
        this.drain.draining
          ? this.indicators.check('shutdown').down('draining: the process is shutting down')
          : this.indicators.check('shutdown').up(),
      () =>
        this.indicators
          .check('database')
          .attempt(() => this.safely(pingDatabase(this.dataSource)))
          .withTimeout(timeout),
      () =>
        this.indicators
          .check('migrations')
          .attempt(async () => {
            // Shown in production too: migration names and the commands are no driver message.
            const pending = await this.safely(pendingMigrationNames(this.dataSource));
            if (pending.length > 0) throw new Error(pendingMigrationsMessage(pending));
          })
          .withTimeout(timeout),
    ]);
    return this.readinessLog.observe(check);
  }

  /** Driver messages help operators but never carry secrets, and stay out of production. */
  private async safely<T>(probe: Promise<T>): Promise<T> {
    try {
      return await probe;
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const shown = this.http.nodeEnv === 'production' ? 'unavailable' : redactSecrets(message);
      throw new Error(shown, { cause: error });
    }
  }
}
