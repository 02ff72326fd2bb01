import { registerDecorator, ValidationOptions } from 'class-validator';
import { JSON_ESCAPED_NUL } from '@app/database';

/**
 * True for a plain JSON object (not an array, not null) without NUL characters whose UTF-8
 * serialization fits `maxBytes`.
 */
export function isJsonObject(value: unknown, maxBytes: number): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const json = JSON.stringify(value);
  return Buffer.byteLength(json, 'utf8') <= maxBytes && !JSON_ESCAPED_NUL.test(json);
}

/** Validates a JSON object of at most `maxBytes` bytes once serialized as UTF-8. */
export function IsJsonObject(maxBytes: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isJsonObject',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [maxBytes],
      options: {
        message: `${String(propertyName)} must be a JSON object of at most ${maxBytes} bytes`,
        ...options,
      },
      validator: { validate: (value: unknown) => isJsonObject(value, maxBytes) },
    });
}
