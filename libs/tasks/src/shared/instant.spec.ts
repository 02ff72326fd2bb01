import { validate } from 'class-validator';
import { formatInstant, IsInstant, isInstant } from './instant';
import { IsJsonObject, isJsonObject } from './json-object';

describe('isInstant', () => {
  it.each([
    '2030-01-15T10:00:00Z',
    '2030-01-15T10:00Z',
    '2030-01-15T10:00:00.123Z',
    '2030-01-15T10:00:00.123456+05:30',
    '2024-02-29T23:59:59-12:00',
    '2030-01-15T10:00:00.123456789Z',
    '1000-01-01T00:00:00Z', // the first instant of the years 1000..9999
    '9999-12-31T23:59:59.999Z', // the last
    '1000-01-01T00:30:00-01:00', // 1000-01-01T01:30Z
  ])('accepts %s', (value) => expect(isInstant(value)).toBe(true));

  it.each([
    '2030-01-15T10:00:00',
    '2030-01-15',
    '2030-02-30T10:00:00Z',
    '2023-02-29T10:00:00Z',
    '2030-01-15T24:00:00Z',
    '2030-13-01T00:00:00Z',
    '0999-01-01T00:00:00Z',
    '1000-01-01T00:30:00+01:00', // 0999-12-31T23:30Z: the year is read in UTC
    '9999-12-31T23:30:00-01:00', // 10000-01-01T00:30Z
    '2030-01-15T10:00:00.1234567891Z', // ten fraction digits
    'tomorrow',
    1_700_000_000_000,
    null,
  ])('rejects %s', (value) => expect(isInstant(value)).toBe(false));

  it('rejects an array holding an instant (its text is the instant)', () => {
    expect(isInstant(['2030-01-15T10:00:00Z'])).toBe(false);
  });
});

describe('@IsInstant and @IsJsonObject', () => {
  class Dto {
    @IsInstant()
    dueAt: unknown = '2030-01-15T10:00:00Z';

    @IsInstant({ each: true })
    reminders: unknown = ['2030-01-15T10:00:00Z'];

    @IsJsonObject(10)
    metadata: unknown = { a: 'bc' };

    @IsJsonObject(10, { each: true })
    parts: unknown = [{ a: 'bc' }];
  }
  const problems = async (values: Partial<Dto>) => {
    const errors = await validate(Object.assign(new Dto(), values));
    return errors.flatMap((e) => Object.values(e.constraints ?? {}));
  };

  it('accept valid values, every item with each', async () => {
    expect(await problems({})).toEqual([]);
  });

  it('name the property and what it must be', async () => {
    expect(await problems({ dueAt: '2030-01-15T10:00:00' })).toEqual([
      'dueAt must be an ISO-8601 date-time with Z or an offset',
    ]);
    expect(await problems({ reminders: ['2030-02-30T10:00:00Z'] })).toEqual([
      'reminders must be an ISO-8601 date-time with Z or an offset',
    ]);
    expect(await problems({ metadata: { a: 'bcd' } })).toEqual([
      'metadata must be a JSON object of at most 10 bytes',
    ]);
    expect(await problems({ parts: [{ a: 'bc' }, []] })).toEqual([
      'parts must be a JSON object of at most 10 bytes',
    ]);
  });
});

describe('formatInstant', () => {
  it.each([
    0,
    -1,
    951_782_400_000, // 2000-02-29
    4_107_542_399_999, // 2100-02-28T23:59:59.999
    -30_610_224_000_000, // 1000-01-01, the first four-digit year
    -30_610_224_000_001, // 0999-12-31T23:59:59.999, the builtin's
    253_402_300_799_999, // 9999-12-31T23:59:59.999, the last
    253_402_300_800_000, // +010000-01-01, the builtin's
  ])('writes %d as toISOString does', (time) =>
    expect(formatInstant(new Date(time))).toBe(new Date(time).toISOString()),
  );

  it('agrees with toISOString on 200,000 random instants across years 0..10000', () => {
    const span = 253_402_300_800_000 + 62_167_219_200_000;
    for (let i = 0; i < 200_000; i++) {
      const date = new Date(Math.floor(Math.random() * span) - 62_167_219_200_000);
      if (formatInstant(date) !== date.toISOString()) {
        throw new Error(`${date.getTime()}: ${formatInstant(date)} != ${date.toISOString()}`);
      }
    }
  });
});

describe('isJsonObject', () => {
  it('accepts objects up to the byte limit, counting UTF-8 bytes', () => {
    expect(isJsonObject({ a: 'é' }, 10)).toBe(true); // {"a":"é"} is 10 bytes
    expect(isJsonObject({ a: 'éé' }, 10)).toBe(false);
    expect(isJsonObject({ a: 'éé' }, 11)).toBe(false); // 10 characters, 12 bytes
    expect(isJsonObject({ a: 'éé' }, 12)).toBe(true);
  });

  it.each([[[]], ['x'], [1], [null], [{ a: '\u0000' }]])('rejects %j', (value) =>
    expect(isJsonObject(value, 1000)).toBe(false),
  );

  it('accepts a literal backslash-u0000 text (not a NUL)', () => {
    expect(isJsonObject({ a: '\\u0000' }, 1000)).toBe(true);
  });
});
