import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * The length of `text` in Unicode code points, as PostgreSQL's `varchar(n)` counts it (and as
 * JSON Schema's `minLength`/`maxLength` do). class-validator's `Length` (validator.js `isLength`)
 * counts a surrogate pair as one but skips the variation selectors U+FE0E/U+FE0F, so
 * `"\u2764\uFE0F"` (a red heart emoji) counted 1 there and 2 here: such text passed validation, was stored on SQLite and
 * was refused by PostgreSQL with a 500.
 */
export function codePointLength(text: string): number {
  // `[...text].length` without the array: each surrogate pair is two UTF-16 units, one code
  // point; a lone surrogate counts as one, as the spread does.
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/** True for a string of `min` to `max` code points. */
export function hasCodePointLength(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string') return false;
  // A string has between length / 2 and length code points: most need no count.
  if (value.length <= max && value.length >= 2 * min) return true;
  const length = codePointLength(value);
  return length >= min && length <= max;
}

/**
 * Validates a string of `min` to `max` Unicode code points (`each: true` for every item of an
 * array), for text stored in a `varchar(max)` column. The messages are class-validator's
 * `Length` ones. A value that is not a string passes: refusing it is the type check's job.
 */
export function CodePointLength(
  min: number,
  max: number,
  options?: ValidationOptions,
): PropertyDecorator {
  const each = options?.each ? 'each value in ' : '';
  return (target, propertyName) =>
    registerDecorator({
      name: 'codePointLength',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [min, max],
      options: {
        message: ({ property, value }: ValidationArguments) =>
          (Array.isArray(value) && each ? value : [value]).some(
            (item) => typeof item === 'string' && codePointLength(item) > max,
          )
            ? `${each}${property} must be shorter than or equal to ${max} characters`
            : `${each}${property} must be longer than or equal to ${min} characters`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || hasCodePointLength(value, min, max),
      },
    });
}
