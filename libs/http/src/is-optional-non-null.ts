import { ValidateIf, ValidationOptions } from 'class-validator';

/**
 * The property may be left out, but not sent as `null`. class-validator's `@IsOptional()`
 * also lets `null` through, which then reaches a NOT NULL column as a 500.
 */
export function IsOptionalNonNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined, options);
}
