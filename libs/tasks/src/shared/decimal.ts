import { registerDecorator, ValidationOptions } from 'class-validator';

/** The shortest text that reads back as the same number, as `String(number)` writes it. */
const NUMBER_TEXT = /^-?\d+(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * The decimal places of a finite number as JavaScript writes it (1.25 has 2, 1e-7 has 7,
 * 1.5e-7 has 8). class-validator's `maxDecimalPlaces` splits the text at '.' and throws on
 * exponent notation, which turned `1e-7` into a 500.
 */
export function decimalPlaces(value: number): number {
  const [, fraction = '', exponent = '0'] = NUMBER_TEXT.exec(String(value))!;
  return Math.max(0, fraction.length - Number(exponent));
}

/** True for a finite number with at most `maxPlaces` decimal places. */
export function isDecimalNumber(value: unknown, maxPlaces: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && decimalPlaces(value) <= maxPlaces;
}

/** Validates a finite number with at most `maxPlaces` decimal places. */
export function IsDecimalNumber(maxPlaces: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDecimalNumber',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [maxPlaces],
      options: {
        message: `${String(propertyName)} must be a number with at most ${maxPlaces} decimal places`,
        ...options,
      },
      validator: { validate: (value: unknown) => isDecimalNumber(value, maxPlaces) },
    });
}
