import fc from 'fast-check';
import { AbstractSqliteDriver } from 'typeorm/driver/sqlite-abstract/AbstractSqliteDriver';
import { DateUtils } from 'typeorm/util/DateUtils';
import { parseSqliteDatetime, parseSqliteUtcDatetime, readSqliteDatetime } from './sqlite-datetime';

/** What TypeORM's SQLite drivers hydrate a `Date` column's text into. */
const typeorm = (text: string): Date =>
  AbstractSqliteDriver.prototype.prepareHydratedValue.call(undefined, text, {
    type: Date,
  } as never) as Date;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('parseSqliteUtcDatetime', () => {
  it('reads every instant TypeORM stores (years 1000-9999) as TypeORM does', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const text = DateUtils.mixedDateToUtcDatetimeString(date) as string;
          expect(parseSqliteUtcDatetime(text)?.toISOString()).toBe(date.toISOString());
          expect(typeorm(text).toISOString()).toBe(date.toISOString());
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives up (undefined) on out-of-range fields, and agrees with TypeORM whenever it answers', () => {
    const field = (max: number) => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(
        fc.tuple(field(9999), field(99), field(99), field(99), field(99), field(99), field(999)),
        ([year, month, day, hour, minute, second, ms]) => {
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}.${pad(ms, 3)}`;
          const parsed = parseSqliteUtcDatetime(text);
          const valid =
            year >= 1000 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59;
          if (!valid || second > 59) expect(parsed).toBeUndefined();
          if (parsed) expect(parsed.getTime()).toBe(typeorm(text).getTime());
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('knows month lengths and leap years', () => {
    expect(parseSqliteUtcDatetime('2024-02-29 12:00:00.000')?.toISOString()).toBe(
      '2024-02-29T12:00:00.000Z',
    );
    expect(parseSqliteUtcDatetime('2023-02-29 12:00:00.000')).toBeUndefined();
    expect(parseSqliteUtcDatetime('1900-02-29 12:00:00.000')).toBeUndefined();
    expect(parseSqliteUtcDatetime('2000-02-29 12:00:00.000')).toBeDefined();
    expect(parseSqliteUtcDatetime('2026-04-31 00:00:00.000')).toBeUndefined();
    expect(parseSqliteUtcDatetime('2026-12-31 23:59:59.999')?.toISOString()).toBe(
      '2026-12-31T23:59:59.999Z',
    );
  });

  it('leaves every other form to TypeORM', () => {
    for (const text of [
      '2026-11-27T02:39:31.318Z',
      '2026-11-27 02:39:31',
      '2026-11-27 02:39:31.31',
      '2026-11-27 02:39:31.3180',
      '0999-11-27 02:39:31.318',
      '2026-1a-27 02:39:31.318',
      '2026-11-27 02:39:31,318',
      '',
      // A non-digit in a time field (':' is the character after '9'), or a time beyond 23:59:59.
      '2026-11-27 02:39:3:.318',
      '2026-11-27 0a:39:31.318',
      '2026-11-27 02:39:3a.318',
      '2026-11-27 02:3a:31.318',
      '2026-11-27 02:39:31.31a',
      '2026-11-27 24:00:00.000',
    ]) {
      expect(parseSqliteUtcDatetime(text)).toBeUndefined();
    }
  });
});

describe('parseSqliteDatetime', () => {
  const iso = (text: string) => {
    const parsed = parseSqliteDatetime(text);
    return 'ms' in parsed ? new Date(parsed.ms).toISOString() : parsed.invalid;
  };

  it("reads SQLite's time values 1-10 without a zone as UTC: T or space, any fraction", () => {
    for (const [text, expected] of [
      ['2026-01-02', '2026-01-02T00:00:00.000Z'],
      ['2026-01-02 03:04', '2026-01-02T03:04:00.000Z'],
      ['2026-01-02T03:04', '2026-01-02T03:04:00.000Z'],
      ['2026-01-02 03:04:05', '2026-01-02T03:04:05.000Z'],
      ['2026-01-02T03:04:05', '2026-01-02T03:04:05.000Z'],
      ['2026-01-02 03:04:05.5', '2026-01-02T03:04:05.500Z'],
      ['2026-01-02T03:04:05.12', '2026-01-02T03:04:05.120Z'],
      ['2026-01-02 03:04:05.123', '2026-01-02T03:04:05.123Z'],
      ['2026-01-02T03:04:05.123456789', '2026-01-02T03:04:05.123Z'],
      ['2026-01-02 03:04:05,25', '2026-01-02T03:04:05.250Z'],
      ['03:04', '2000-01-01T03:04:00.000Z'],
      ['03:04:05', '2000-01-01T03:04:05.000Z'],
      ['03:04:05.5', '2000-01-01T03:04:05.500Z'],
      ['0050-06-15 12:30', '0050-06-15T12:30:00.000Z'],
    ]) {
      expect([text, iso(text)]).toEqual([text, expected]);
    }
  });

  it('keeps an explicit zone', () => {
    for (const [text, expected] of [
      ['2026-01-02T03:04:05.5Z', '2026-01-02T03:04:05.500Z'],
      ['2026-01-02 03:04:05.5+02:00', '2026-01-02T01:04:05.500Z'],
      ['2026-01-02 03:04 -05:00', '2026-01-02T08:04:00.000Z'],
      ['03:04+01:00', '2000-01-01T02:04:00.000Z'],
    ]) {
      expect([text, iso(text)]).toEqual([text, expected]);
    }
  });

  it('says why other text is not a datetime', () => {
    expect(iso('tomorrow')).toBe('not a date/time');
    expect(iso('2026-01-02 03:04:05.')).toBe('not a date/time');
    expect(iso('3:04')).toBe('not a date/time');
    expect(iso('2023-02-29')).toBe('not a valid date/time');
    expect(iso('2026-01-02 24:00')).toBe('not a valid date/time');
    expect(iso('2026-01-02 03:60')).toBe('not a valid date/time');
    expect(iso('2026-01-02 03:04:60')).toBe('not a valid date/time');
    expect(iso('2026-01-02 03:04+02:60')).toBe('invalid time zone offset');
    expect(iso('0000-01-01')).toBe('not a valid date/time');
    expect(iso('2026-01-02 03:04+15:00')).toBe('invalid time zone offset');
  });
});

describe('readSqliteDatetime', () => {
  it("takes TypeORM's form on the fast path and every other SQLite time value as UTC", () => {
    expect(readSqliteDatetime('2026-01-02 03:04:05.678')?.toISOString()).toBe(
      '2026-01-02T03:04:05.678Z',
    );
    expect(readSqliteDatetime('2026-01-02T03:04:05.123456')?.toISOString()).toBe(
      '2026-01-02T03:04:05.123Z',
    );
    expect(readSqliteDatetime('0999-11-27 02:39:31.318')?.toISOString()).toBe(
      '0999-11-27T02:39:31.318Z',
    );
    expect(readSqliteDatetime('not a date')).toBeUndefined();
  });
});
