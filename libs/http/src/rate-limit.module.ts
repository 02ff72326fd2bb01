import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { httpConfig } from '@app/config';

/**
 * At most RATE_LIMIT_MAX requests per client address per RATE_LIMIT_WINDOW_MS (0: off).
 * Over the limit: 429 problem+json with Retry-After. Health routes are exempt (@SkipThrottle).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [httpConfig.KEY],
      useFactory: (config: ConfigType<typeof httpConfig>) => ({
        throttlers: [{ limit: config.rateLimitMax || 1, ttl: config.rateLimitWindowMs }],
        skipIf: () => config.rateLimitMax === 0,
        errorMessage: 'Too many requests; retry after the time given in Retry-After',
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitModule {}
