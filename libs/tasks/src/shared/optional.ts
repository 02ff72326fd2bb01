import { registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';

/**
 * The property may be left out, but `null` is validated (and so rejected by a type check).
 * class-validator's `@IsOptional()` lets `null` through, which a NOT NULL column turns into a 500.
 */
export const Optional = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);

/** The property may be left out or `null`; anything else is validated. */
export const Nullable = (): PropertyDecorator =>
  ValidateIf((_, value) => value !== undefined && value !== null);

/**
 * Rejects text with NUL characters, which PostgreSQL cannot store (SQLite can: dialects would
 * differ). A value that is not a string passes: refusing it is the type check's job.
 */
export function NoNul(options?: Pick<ValidationOptions, 'each'>): PropertyDecorator {
  const each = options?.each ? 'each value in ' : '';
  return (target, propertyName) =>
    registerDecorator({
      name: 'noNul',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${each}${String(propertyName)} must not contain NUL characters`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !value.includes('\0'),
      },
    });
}
