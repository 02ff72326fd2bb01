import { registerDecorator, ValidationArguments } from 'class-validator';

/*
 * Bounds that pass a value of another type: refusing it is its type check's job (`@IsInt`,
 * `@IsArray`...). class-validator runs every check of a property, and its own `@Min`, `@Max`
 * and `@ArrayMaxSize` fail on any value they cannot measure, so `{"priority": "x"}` was also
 * told that it must not be less than 1 nor greater than 5.
 */

function register(
  name: string,
  constraints: unknown[],
  validate: (value: unknown) => boolean,
  message: (args: ValidationArguments) => string,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      constraints,
      options: { message },
      validator: { validate },
    });
}

/** A number from `min` to `max`, with the messages of class-validator's `@Min` and `@Max`. */
export function NumberRange(min: number, max: number): PropertyDecorator {
  return register(
    'numberRange',
    [min, max],
    (value) => typeof value !== 'number' || (value >= min && value <= max),
    ({ property, value }) =>
      (value as number) < min
        ? `${property} must not be less than ${min}`
        : `${property} must not be greater than ${max}`,
  );
}

/** An array of at most `max` items, with the message of class-validator's `@ArrayMaxSize`. */
export function MaxItems(max: number): PropertyDecorator {
  return register(
    'maxItems',
    [max],
    (value) => !Array.isArray(value) || value.length <= max,
    ({ property }) => `${property} must contain no more than ${max} elements`,
  );
}

/**
 * Every item of an array is a string (`@IsString({ each: true })`'s message). That decorator
 * checks a value that is no array as one item: `{"tags": 5}` got its message besides
 * `@IsArray`'s.
 */
export function StringItems(): PropertyDecorator {
  return register(
    'stringItems',
    [],
    (value) => !Array.isArray(value) || value.every((item) => typeof item === 'string'),
    ({ property }) => `each value in ${property} must be a string`,
  );
}
