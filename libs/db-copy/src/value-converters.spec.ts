import fc from 'fast-check';
import { readSqliteDatetime } from '@app/database';
import { ColumnPlan, converterFor, InvalidValue, roundDecimal } from './value-converters';

const column = (kind: ColumnPlan['kind'], extra: Partial<ColumnPlan> = {}): ColumnPlan => ({
  name: 'c',
  kind,
  pgType: kind,
  nullable: true,
  ...extra,
});
const convert = (c: ColumnPlan, value: unknown) => converterFor(c)(value);
const invalid = (c: ColumnPlan, value: unknown) =>
  expect(() => convert(c, value)).toThrow(InvalidValue);

describe('value converters', () => {
  it('booleans from 0/1 and true/false, nothing else', () => {
    const c = column('boolean');
    expect([1, 0, 1n, 0n, 'true', 'FALSE', 't', 'f', '1', '0'].map((v) => convert(c, v))).toEqual([
      't',
      'f',
      't',
      'f',
      't',
      'f',
      't',
      'f',
      't',
      'f',
    ]);
    for (const v of [2, -1, 'yes', '', 0.5, Buffer.from('1')]) invalid(c, v);
    expect([' true ', '\t1\n', ' F'].map((v) => convert(c, v))).toEqual(['t', 't', 'f']);
  });

  it('timestamps from every supported form, as UTC ISO with milliseconds', () => {
    const c = column('timestamp');
    const iso = '2024-03-01T12:00:00.123Z';
    expect(convert(c, '2024-03-01 12:00:00.123')).toBe(iso);
    expect(convert(c, '2024-03-01T12:00:00.123Z')).toBe(iso);
    expect(convert(c, '2024-03-01T14:00:00.123+02:00')).toBe(iso);
    expect(convert(c, '2024-03-01 12:00:00.123456')).toBe(iso);
    expect(convert(c, '2024-03-01 12:00:00')).toBe('2024-03-01T12:00:00.000Z');
    expect(convert(c, '2024-03-01T12:00:00Z')).toBe('2024-03-01T12:00:00.000Z');
    expect(convert(c, '2024-03-01')).toBe('2024-03-01T00:00:00.000Z');
    expect(convert(c, 1709294400123)).toBe(iso);
    expect(convert(c, 1709294400)).toBe('2024-03-01T12:00:00.000Z');
    expect(convert(c, '1709294400123')).toBe(iso);
    expect(convert(c, '2024-02-29 00:00:00.000')).toBe('2024-02-29T00:00:00.000Z');
    for (const v of [
      '',
      'yesterday',
      '2023-02-29 00:00:00.000',
      '2024-13-01',
      '2024-01-01 25:00',
      NaN,
    ]) {
      invalid(c, v);
    }
    invalid(c, Buffer.from('x'));
  });

  it('refuses a 0 date/time: the "no date" many apps store, not 1970-01-01T00:00:00Z', () => {
    const c = column('timestamp');
    for (const zero of [0, -0, 0n, 0.0, '0', ' 0 ', '0.0', '-0']) {
      expect(() => convert(c, zero)).toThrow(/^0, which apps store for "no date"/);
    }
    expect(convert(c, 1)).toBe('1970-01-01T00:00:01.000Z');
    expect(convert(c, -1)).toBe('1969-12-31T23:59:59.000Z');
    expect(convert(c, 0.001)).toBe('1970-01-01T00:00:00.001Z');
  });

  it("the fast path takes only TypeORM's exact form; anything else near it is read as the API reads it", () => {
    const c = column('timestamp');
    // 23 characters but not TypeORM's form: a wrong separator, a non-digit millisecond, 1900-02-29.
    for (const v of [
      '2024-03-01x12:00:00.123',
      '2024-03-01 12:00:00.12a',
      '1900-02-29 00:00:00.000',
    ]) {
      invalid(c, v);
    }
    // A trailing blank is trimmed, as the API trims it: 23 characters, read on the slow path.
    expect(convert(c, '2024-03-01 12:00:00.12 ')).toBe('2024-03-01T12:00:00.120Z');
    expect(convert(c, '2000-02-29 00:00:00.000')).toBe('2000-02-29T00:00:00.000Z');
    // A comma before the milliseconds is the API's too, written back with the point.
    expect(convert(c, '2024-03-01 12:00:00,123')).toBe('2024-03-01T12:00:00.123Z');
  });

  it('epoch milliseconds up to the last one of 9999 are kept, fractions of one cut off; non-finite numbers are refused as such', () => {
    const c = column('timestamp');
    expect(convert(c, 253402300799999)).toBe('9999-12-31T23:59:59.999Z');
    expect(() => convert(c, 253402300800000)).toThrow('timestamp out of range');
    expect(convert(c, 1709294400123.7)).toBe('2024-03-01T12:00:00.123Z');
    for (const v of [Infinity, -Infinity, NaN]) {
      expect(() => convert(c, v)).toThrow('not a finite number');
    }
  });

  it('timestamps from every SQLite time value, as the API reads them (zone-less is UTC)', () => {
    const c = column('timestamp');
    for (const text of [
      '2026-01-02 03:04:05.678',
      '2026-01-02 03:04:05.5',
      '2026-01-02T03:04:05.123456',
      '2026-01-02 03:04:05',
      '2026-01-02T03:04',
      '2026-01-02',
      '03:04:05.5',
      '03:04',
      '2026-01-02T03:04:05.5Z',
      '2026-01-02 03:04:05.5+02:00',
      '0050-06-15 12:30',
    ]) {
      expect([text, convert(c, text)]).toEqual([text, readSqliteDatetime(text)?.toISOString()]);
    }
    expect(convert(c, '03:04:05.5')).toBe('2000-01-01T03:04:05.500Z');
  });

  it("TypeORM's form on the fast path reads as the API reads it, or is refused as the API refuses it", () => {
    const c = column('timestamp');
    const field = (max: number) => fc.integer({ min: 0, max });
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(
        fc.tuple(field(9999), field(13), field(32), field(24), field(60), field(60), field(999)),
        ([year, month, day, hour, minute, second, ms]) => {
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}.${pad(ms, 3)}`;
          const api = readSqliteDatetime(text)?.toISOString();
          if (api === undefined) invalid(c, text);
          else expect(convert(c, text)).toBe(api);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('timestamps before 1901 and in the years 1-99 (Date.UTC maps 0-99 to 1900-1999)', () => {
    const c = column('timestamp');
    expect(convert(c, '1850-01-01')).toBe('1850-01-01T00:00:00.000Z');
    expect(convert(c, '0001-01-01 00:00:00.000')).toBe('0001-01-01T00:00:00.000Z');
    expect(convert(c, '0001-01-01')).toBe('0001-01-01T00:00:00.000Z');
    expect(convert(c, '0050-06-15T12:30:00Z')).toBe('0050-06-15T12:30:00.000Z');
    expect(convert(c, '0004-02-29 10:00')).toBe('0004-02-29T10:00:00.000Z');
    expect(convert(c, '0099-12-31T23:59:59.999Z')).toBe('0099-12-31T23:59:59.999Z');
    for (const v of ['0000-01-01', '0001-02-29', '0001-01-01T00:00:00+01:00']) invalid(c, v);
  });

  it('epoch seconds stored as REAL keep their milliseconds (1.001 s is 1001 ms)', () => {
    const c = column('timestamp');
    expect(convert(c, 1.001)).toBe('1970-01-01T00:00:01.001Z');
    expect(convert(c, '1.001')).toBe('1970-01-01T00:00:01.001Z');
    expect(convert(c, 1709294400.123)).toBe('2024-03-01T12:00:00.123Z');
    expect(convert(c, -1.001)).toBe('1969-12-31T23:59:58.999Z');
  });

  it('epoch numbers are seconds below 10^11 in magnitude, milliseconds from there on (README)', () => {
    const c = column('timestamp');
    // Seconds up to the limit: the year 5138, and as far back before 1970.
    expect(convert(c, 99_999_999_999)).toBe('5138-11-16T09:46:39.000Z');
    expect(convert(c, '99999999999')).toBe('5138-11-16T09:46:39.000Z');
    expect(convert(c, -10_000_000_000)).toBe('1653-02-10T06:13:20.000Z');
    invalid(c, -99_999_999_999); // seconds: the year -1199, out of range
    // From 10^11 on, milliseconds: 1973 onwards, so 1973-2001 in milliseconds is not year 5138+.
    expect(convert(c, 100_000_000_000)).toBe('1973-03-03T09:46:40.000Z');
    expect(convert(c, -100_000_000_000)).toBe('1966-10-31T14:13:20.000Z');
    expect(convert(c, 999_999_999_999)).toBe('2001-09-09T01:46:39.999Z');
    expect(convert(c, '1000000000000')).toBe('2001-09-09T01:46:40.000Z');
  });

  it("refuses numbers that may be Julian day numbers (SQLite's julianday()) or early-1970 seconds", () => {
    const c = column('timestamp');
    // julianday('2024-03-02') is 2460371.5; as epoch seconds it would be 1970-01-29.
    for (const value of [2460371.5, '2460371.5', 1721059.5, 5373484.4, 2460371, 2460371n]) {
      expect(() => convert(c, value)).toThrow(
        /Julian day number .*julianday\(\).* or epoch seconds in early 1970/,
      );
    }
    // Just outside the Julian days of SQLite's dates (0000-01-01 to 9999-12-31).
    expect(convert(c, 1721059.4)).toBe('1970-01-20T22:04:19.400Z');
    expect(convert(c, 5373484.5)).toBe('1970-03-04T04:38:04.500Z');
    expect(convert(c, -2460371.5)).toBe('1969-12-03T12:33:48.500Z');
  });

  it('integers within the column range, 2^40 in a bigint column', () => {
    expect(convert(column('integer'), 42)).toBe('42');
    expect(convert(column('integer'), '-7')).toBe('-7');
    expect(convert(column('bigint'), 2 ** 40)).toBe('1099511627776');
    expect(convert(column('bigint'), 2n ** 62n)).toBe('4611686018427387904');
    invalid(column('integer'), 2 ** 40);
    invalid(column('integer'), 2 ** 31);
    invalid(column('integer'), 1.5);
    invalid(column('integer'), 'abc');
    invalid(column('bigint'), 2n ** 63n);
    expect(convert(column('smallint'), 32767)).toBe('32767');
    invalid(column('smallint'), 32768);
  });

  it('integers at both ends of each column range are kept, one past either end refused, as numbers, bigints or text', () => {
    for (const [kind, bits] of [
      ['smallint', 15n],
      ['integer', 31n],
      ['bigint', 63n],
    ] as const) {
      const c = column(kind);
      const [min, max] = [-(2n ** bits), 2n ** bits - 1n];
      for (const v of [min, max, String(min), ` ${max} `])
        expect(convert(c, v)).toBe(String(v).trim());
      for (const v of [min - 1n, max + 1n, String(min - 1n), String(max + 1n)]) invalid(c, v);
      if (kind !== 'bigint') {
        expect(convert(c, Number(min))).toBe(String(min));
        expect(convert(c, Number(max))).toBe(String(max));
        invalid(c, Number(min) - 1);
      }
    }
    // 2^63 is a double within Number(2^63 - 1) (the same double), but not a bigint value; nor is
    // any integer past 2^53, which a double cannot hold exactly.
    invalid(column('bigint'), 2 ** 63);
    invalid(column('bigint'), 2 ** 60);
    for (const v of ['12abc', '1 2', '1.0', '']) invalid(column('integer'), v);
  });

  it('JSON text must parse; numbers stored by SQLite affinity are JSON too', () => {
    const c = column('json');
    const nested = '{"a":{"b":[1,"x\\ty",{"c":null}]},"big":1099511627776}';
    expect(convert(c, nested)).toBe(nested);
    expect(convert(c, 5)).toBe('5');
    for (const v of ['{bad', '', '{"a":"\\u0000"}', Buffer.from('{}')]) invalid(c, v);
    expect(convert(c, 2n ** 62n)).toBe('4611686018427387904');
  });

  it('JSON refuses an escaped NUL but keeps a literal backslash followed by u0000', () => {
    const c = column('json');
    for (const v of ['{"a":"\\u0000"}', '{"a":"\\\\\\u0000"}', '["x\\u0000y"]']) invalid(c, v);
    // `"C:\\u0000dir"` is a backslash then the characters u0000: the API and jsonb accept it.
    for (const v of ['{"path":"C:\\\\u0000dir"}', '["\\\\\\\\u0000"]']) {
      expect(convert(c, v)).toBe(v);
    }
  });

  it('JSON refuses an escaped surrogate half without its other half (jsonb refuses it), keeps pairs', () => {
    const c = column('json');
    // An emoji cut in two by another tool: JSON.parse accepts it, PostgreSQL's COPY would not.
    for (const v of ['{"a":"\\ud83d"}', '["x\\uDE00"]', '{"\\ud83dkey":1}', '["\\ude00\\ud83d"]']) {
      invalid(c, v);
    }
    expect(() => convert(c, '{"a":"\\ud83d"}')).toThrow('unpaired surrogate');
    // A whole pair, escaped or not, and a backslash followed by the characters ud83d are kept.
    for (const v of [
      '["\\ud83d\\ude00"]',
      '["\\uD83D\\uDE00"]',
      '{"path":"C:\\\\ud83d"}',
      '"😀"',
    ]) {
      expect(convert(c, v)).toBe(v);
    }
  });

  it("JSON refuses a number beyond jsonb's numeric range, keeps those at its limits", () => {
    const c = column('json');
    // PostgreSQL's numeric holds at most 131,072 digits before the point and 16,383 after it
    // (counted as written: digits after the point minus the exponent).
    const digits = (n: number) => '9'.repeat(n);
    for (const v of [
      '[1e131072]',
      '{"a":-1e131072}',
      `[${digits(131073)}]`,
      '[1e-16384]',
      '[1.0e-16383]',
      '[0.000e-20000]',
      `[0.${digits(16384)}]`,
      '[0e99999999999]',
      '{"deep":[{"n":1E+131072}]}',
    ]) {
      invalid(c, v);
    }
    expect(() => convert(c, '{"a":1e131072}')).toThrow(
      "JSON number 1e131072 is beyond PostgreSQL's numeric range (refused by jsonb)",
    );
    // A number of more than 24 characters is shortened in the message; one of 24 is not.
    expect(() => convert(c, `[${digits(131073)}]`)).toThrow(
      'JSON number 999999999999…(131073 characters) is beyond',
    );
    expect(() => convert(c, `[1.${'0'.repeat(16)}e-16383]`)).toThrow(
      'JSON number 1.0000000000…(25 characters) is beyond',
    );
    expect(() => convert(c, `[1.${'0'.repeat(15)}e-16383]`)).toThrow(
      `JSON number 1.${'0'.repeat(15)}e-16383 is beyond`,
    );
    // PostgreSQL refuses an exponent past 1,073,741,822 before it looks at the digits, even on 0.
    expect(() => convert(c, '[0e1073741823]')).toThrow('JSON number 0e1073741823 is beyond');
    expect(convert(c, '[0e1073741822]')).toBe('[0e1073741822]');
    for (const v of [
      '[1e131071]',
      '[0.1e131072]',
      `[${digits(131072)}]`,
      '[1e-16383]',
      `[0.${digits(16383)}]`,
      '[0e999999]',
      '["1e999999"]',
      '{"1e999999":"x"}',
      '[1.5e300, 2e-300]',
    ]) {
      expect(convert(c, v)).toBe(v);
    }
  });

  it("JSON refuses nesting deeper than SQLite's json() reads (1,000 levels), brackets in strings aside", () => {
    const c = column('json');
    const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);
    expect(convert(c, nested(1000))).toBe(nested(1000));
    const keyed = `{"a":${nested(999)}}`;
    expect(convert(c, keyed)).toBe(keyed);
    expect(convert(c, nested(2, JSON.stringify('[{'.repeat(5000))))).toMatch(/^\[\["/);
    // An escaped quote does not end the string: the brackets after it are still in it.
    const quoted = nested(2, JSON.stringify('"' + '['.repeat(2000)));
    expect(convert(c, quoted)).toBe(quoted);
    const objects = '{"a":'.repeat(1001) + '1' + '}'.repeat(1001);
    for (const text of [nested(1001), nested(1001, ''), objects]) {
      expect(() => convert(c, text)).toThrow(
        "JSON nested deeper than 1000 levels (SQLite's json() refuses it too)",
      );
    }
    for (const depth of [1001, 5000, 100_000]) {
      expect(() => convert(c, nested(depth))).toThrow(
        "JSON nested deeper than 1000 levels (SQLite's json() refuses it too)",
      );
    }
  });

  it('JSON refuses a non-finite REAL (SQLite stores 1e400 as Infinity; jsonb has no Infinity)', () => {
    const c = column('json');
    for (const v of [Infinity, -Infinity, NaN]) invalid(c, v);
    expect(() => convert(c, Infinity)).toThrow('not a finite number');
    expect(convert(c, 1.5)).toBe('1.5');
  });

  it('decimals rounded to the column scale, range checked', () => {
    const c = column('decimal', { precision: 8, scale: 2 });
    expect(convert(c, 1.5)).toBe('1.5');
    expect(convert(c, 1.005)).toBe('1.01');
    expect(convert(c, '2.345')).toBe('2.35');
    expect(convert(c, -0.001)).toBe('0.00');
    expect(convert(c, 999999.99)).toBe('999999.99');
    expect(convert(c, 1e-7)).toBe('0.00');
    invalid(c, 1000000);
    invalid(c, 'abc');
    invalid(c, Infinity);
    expect(convert(c, ' 2.5 ')).toBe('2.50');
    expect(convert(c, '.5')).toBe('0.50');
    expect(convert(c, '1.005e0')).toBe('1.01');
    expect(convert(c, '-999999.99')).toBe('-999999.99');
    invalid(c, '1.5abc');
    invalid(c, '1.5.5');
    // numeric(2,2) holds no digit before the point: 0.5 is written 0.50.
    expect(convert(column('decimal', { precision: 2, scale: 2 }), '0.5')).toBe('0.50');
    expect(convert(column('decimal', { precision: 2, scale: 2 }), 0.5)).toBe('0.50');
    invalid(column('decimal', { precision: 2, scale: 2 }), '1.5');
    expect(roundDecimal('9.995', 2)).toBe('10.00');
    expect(roundDecimal('-1.5', 0)).toBe('-2');
  });

  it('tells which decimals it rounded (digits beyond the scale that were not zeros), and only those', () => {
    const rounded: [string, string][] = [];
    const c = converterFor(column('decimal', { precision: 8, scale: 2 }), (from, to) =>
      rounded.push([from, to]),
    );
    const kept = [1.5, 5, '1.50', '2.340000', 999999.99, 0, '-0.10', 12n];
    for (const value of [...kept, 1.005, '2.345', -0.001, 1e-7, 0.30000000000000004]) c(value);
    expect(rounded).toEqual([
      ['1.005', '1.01'],
      ['2.345', '2.35'],
      ['-0.001', '0.00'],
      ['1e-7', '0.00'],
      ['0.30000000000000004', '0.30'],
    ]);
    rounded.length = 0;
    for (const value of ['2.5e0', '1E2', '1.005e0']) c(value);
    expect(rounded).toEqual([['1.005e0', '1.01']]);
  });

  it('text keeps unicode, quotes and control characters; refuses NUL and over-long values', () => {
    const c = column('text', { maxLength: 5 });
    expect(convert(c, 'ü"\'\\\t')).toBe('ü"\'\\\t');
    expect(convert(c, '😀😀😀😀😀')).toBe('😀😀😀😀😀');
    expect(convert(c, 12)).toBe('12');
    invalid(c, '123456');
    invalid(c, 'a\0b');
    invalid(c, Buffer.from('x'));
  });

  it('floats', () => {
    expect(convert(column('float'), 0.1)).toBe('0.1');
    invalid(column('float'), 'x');
    for (const v of ['', '  ']) invalid(column('float'), v);
    expect(convert(column('float'), ' 2.5 ')).toBe('2.5');
  });
});
