import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';

/** Draining is logged by the shutdown itself; it is no readiness failure worth a warning. */
const LOGGED_ELSEWHERE = new Set(['shutdown']);

/**
 * Logs readiness when it changes, not per probe: one warning when it goes down, naming each
 * failing check with the message its 503 shows (production: `unavailable`, never the driver's
 * words; otherwise redacted), and one line when it is back. A probe every few seconds while
 * the database is down would otherwise write a line each time.
 */
@Injectable()
export class ReadinessLog {
  private readonly logger = new Logger('Readiness');
  private downSince: number | undefined;

  /** Passes `check`'s result or error through, logging a change of state. */
  async observe(check: Promise<HealthCheckResult>): Promise<HealthCheckResult> {
    try {
      const result = await check;
      this.up();
      return result;
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        this.down(error.getResponse() as HealthCheckResult);
      }
      throw error;
    }
  }

  private up(): void {
    if (this.downSince === undefined) return;
    const seconds = ((Date.now() - this.downSince) / 1000).toFixed(1);
    this.downSince = undefined;
    this.logger.log(`Readiness recovered after ${seconds} s`);
  }

  private down(report: HealthCheckResult): void {
    const failing = Object.entries(report.error ?? {}).filter(
      ([name]) => !LOGGED_ELSEWHERE.has(name),
    );
    if (failing.length === 0 || this.downSince !== undefined) return;
    this.downSince = Date.now();
    const checks = failing.map(([name, check]) => `${name}: ${String(check?.message ?? 'down')}`);
    this.logger.warn(`Readiness lost: ${checks.join('; ')}`);
  }
}
