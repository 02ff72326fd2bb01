import { registerDecorator, ValidationOptions } from 'class-validator';

/** ISO-8601 date and time with seconds optional, fractions optional, and a `Z` or `±hh:mm` offset. */
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/;

/** True for an ISO-8601 instant with an explicit offset whose year lies in 1000..9999 UTC. */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !INSTANT.test(value)) return false;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  const year = new Date(time).getUTCFullYear();
  // Date.parse rolls 2024-02-30 over into March; reject impossible calendar dates instead.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(y, m - 1, d));
  return (
    year >= 1000 &&
    year <= 9999 &&
    calendar.getUTCMonth() === m - 1 &&
    calendar.getUTCDate() === d &&
    Number(value.slice(11, 13)) < 24
  );
}

/** Validates an ISO-8601 instant with `Z` or an offset (no local times: they are ambiguous). */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be an ISO-8601 date-time with Z or an offset`,
        ...options,
      },
      validator: { validate: isInstant },
    });
}
