import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_GUARD, ModuleRef } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { httpConfig } from '@app/config';

/**
 * At most RATE_LIMIT_MAX requests per client address per RATE_LIMIT_WINDOW_MS (0: off), one
 * budget across all routes. Over the limit: 429 problem+json with Retry-After. Health routes are
 * exempt (@SkipThrottle).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [httpConfig.KEY],
      useFactory: (config: ConfigType<typeof httpConfig>) => ({
        throttlers: [{ limit: config.rateLimitMax, ttl: config.rateLimitWindowMs }],
        // The client alone (its address, as the throttler tracks it): the default key adds the
        // controller and handler, which gave a client a budget per route.
        generateKey: (_context, tracker, throttler) => `${throttler}:${tracker}`,
        errorMessage: 'Too many requests; retry after the time given in Retry-After',
      }),
    }),
  ],
  providers: [
    {
      provide: APP_GUARD,
      inject: [httpConfig.KEY, ModuleRef],
      // Off: no guard at all (Nest skips a global guard factory that returns nothing), rather
      // than a guard that looks up its metadata on every request to say yes.
      useFactory: (config: ConfigType<typeof httpConfig>, moduleRef: ModuleRef) =>
        config.rateLimitMax === 0 ? undefined : moduleRef.create(ThrottlerGuard),
    },
  ],
})
export class RateLimitModule {}
