import { isInstant } from './instant';
import { isJsonObject } from './json-object';

describe('isInstant', () => {
  it.each([
    '2030-01-15T10:00:00Z',
    '2030-01-15T10:00Z',
    '2030-01-15T10:00:00.123Z',
    '2030-01-15T10:00:00.123456+05:30',
    '2024-02-29T23:59:59-12:00',
  ])('accepts %s', (value) => expect(isInstant(value)).toBe(true));

  it.each([
    '2030-01-15T10:00:00',
    '2030-01-15',
    '2030-02-30T10:00:00Z',
    '2023-02-29T10:00:00Z',
    '2030-01-15T24:00:00Z',
    '2030-13-01T00:00:00Z',
    '0999-01-01T00:00:00Z',
    'tomorrow',
    1_700_000_000_000,
    null,
  ])('rejects %s', (value) => expect(isInstant(value)).toBe(false));
});

describe('isJsonObject', () => {
  it('accepts objects up to the byte limit, counting UTF-8 bytes', () => {
    expect(isJsonObject({ a: 'é' }, 10)).toBe(true); // {"a":"é"} is 10 bytes
    expect(isJsonObject({ a: 'éé' }, 10)).toBe(false);
  });

  it.each([[[]], ['x'], [1], [null], [{ a: '\u0000' }]])('rejects %j', (value) =>
    expect(isJsonObject(value, 1000)).toBe(false),
  );

  it('accepts a literal backslash-u0000 text (not a NUL)', () => {
    expect(isJsonObject({ a: '\\u0000' }, 1000)).toBe(true);
  });
});
