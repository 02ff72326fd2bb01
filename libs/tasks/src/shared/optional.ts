import { ValidateIf } from 'class-validator';

/**
 * The property may be left out, but `null` is validated (and so rejected by a type check).
 * class-validator's `@IsOptional()` lets `null` through, which a NOT NULL column turns into a 500.
 */
export const Optional = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);

/** The property may be left out or `null`; anything else is validated. */
export const Nullable = (): PropertyDecorator =>
  ValidateIf((_, value) => value !== undefined && value !== null);

/** Rejects NUL characters, which PostgreSQL text cannot store (SQLite can: dialects would differ). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this pattern must find
export const NO_NUL = /^[^\u0000]*$/;
