const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The digits of `text` from `start` to `end` as a number, or -1 if one of them is not a digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The instant of a SQLite datetime in the form TypeORM stores `Date` columns in
 * (`YYYY-MM-DD HH:MM:SS.SSS`, UTC), built from its numbers: about 20 times cheaper than V8's
 * date string parser, which TypeORM's hydration uses (~0.7 µs a value, three per task).
 * Anything else (another form, a field out of range, a year before 1000) is `undefined`, and the
 * caller falls back to TypeORM's own conversion, so results never differ from it.
 */
export function parseSqliteUtcDatetime(text: string): Date | undefined {
  // `YYYY-MM-DD HH:MM:SS.SSS`: the separators - - ' ' : : . by character code.
  if (
    text.length !== 23 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46
  ) {
    return undefined;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  const ms = digits(text, 20, 23);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || ms < 0) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > days || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
}
