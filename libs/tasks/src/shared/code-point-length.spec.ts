import { length, validate } from 'class-validator';
import fc from 'fast-check';
import { CodePointLength, codePointLength, hasCodePointLength } from './code-point-length';

const HEART_VS16 = '\u2764\uFE0F'; // red heart, emoji presentation: 2 code points, 2 units
const TEXT_VS15 = '\u2764\uFE0E'; // red heart, text presentation
const GRINNING = '\u{1F600}'; // 1 code point, a surrogate pair (2 units)
const E_ACUTE = 'e\u0301'; // e + combining acute accent: 2 code points
const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // ZWJ sequence: 5 code points

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['\u00C4rger', 5],
    [HEART_VS16, 2],
    [TEXT_VS15, 2],
    [HEART_VS16.repeat(200), 400],
    [GRINNING, 1],
    [GRINNING.repeat(40), 40],
    [E_ACUTE, 2],
    ['\u0130'.repeat(40), 40], // I with dot above
    ['\uFDFA'.repeat(3), 3], // the Arabic ligature NFKC expands to 18 characters
    [FAMILY, 5],
    ['\uD800', 1], // a lone surrogate (rejected elsewhere) is one code point
    ['\u{10000}', 1], // the first pair: \uD800\uDC00
    ['\u{10FFFF}', 1], // the last pair: \uDBFF\uDFFF
    ['\uD83D\uD83D', 2], // two high halves make no pair
    ['\uDE00\uD83D', 2], // a low half before a high one makes none either
  ])('%j has %p code points', (text, length) => expect(codePointLength(text)).toBe(length));

  it('counts what the string iterator yields, for any UTF-16 text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (text) => codePointLength(text) === [...text].length,
      ),
    );
  });

  it('bounds text as counting with the string iterator would, shortcuts included', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.nat(12),
        fc.nat(20),
        (text, min, extra) => {
          const count = [...text].length;
          const expected = count >= min && count <= min + extra;
          return hasCodePointLength(text, min, min + extra) === expected;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('counts what class-validator Length does not: variation selectors', () => {
    expect(length(HEART_VS16.repeat(40), 1, 40)).toBe(true);
    expect(codePointLength(HEART_VS16.repeat(40))).toBe(80);
  });
});

describe('hasCodePointLength', () => {
  it.each([
    ['x', true],
    ['x'.repeat(40), true],
    ['x'.repeat(41), false],
    ['', false],
    [HEART_VS16.repeat(20), true],
    [HEART_VS16.repeat(21) /* 42 code points, isLength counts 21 */, false],
    [TEXT_VS15.repeat(21), false],
    [GRINNING.repeat(40) /* 80 UTF-16 units */, true],
    [GRINNING.repeat(41), false],
    [E_ACUTE.repeat(20), true],
    [E_ACUTE.repeat(20) + 'e', false],
    ['\uFE0F', true], // isLength counts 0 here; PostgreSQL stores one code point
  ])('%j within 1..40: %p', (text, expected) =>
    expect(hasCodePointLength(text, 1, 40)).toBe(expected),
  );

  it.each([null, undefined, 40, ['x'], {}])('rejects the non-string %p', (value) =>
    expect(hasCodePointLength(value, 0, 40)).toBe(false),
  );
});

describe('@CodePointLength', () => {
  class Dto {
    @CodePointLength(1, 4)
    name: unknown;

    @CodePointLength(1, 2, { each: true })
    tags: unknown = ['ok'];
  }
  const problems = async (values: Partial<Dto>) => {
    const errors = await validate(Object.assign(new Dto(), values));
    return errors.flatMap((e) => Object.values(e.constraints ?? {}));
  };

  it('accepts text within the bounds in code points', async () => {
    expect(await problems({ name: HEART_VS16.repeat(2), tags: [GRINNING.repeat(2), 'a'] })).toEqual(
      [],
    );
  });

  it("passes values that are not strings: refusing them is the type check's job", async () => {
    expect(await problems({ name: 5, tags: [7, null] })).toEqual([]);
  });

  it('words its messages as class-validator Length does', async () => {
    expect(await problems({ name: HEART_VS16.repeat(3) })).toEqual([
      'name must be shorter than or equal to 4 characters',
    ]);
    expect(await problems({ name: '' })).toEqual([
      'name must be longer than or equal to 1 characters',
    ]);
    expect(await problems({ name: 'ok', tags: ['ok', E_ACUTE.repeat(2)] })).toEqual([
      'each value in tags must be shorter than or equal to 2 characters',
    ]);
    expect(await problems({ name: 'ok', tags: [''] })).toEqual([
      'each value in tags must be longer than or equal to 1 characters',
    ]);
  });

  it('words the message by the item out of bounds, not by one at a bound or not a string', async () => {
    expect(await problems({ name: 'ok', tags: ['ok', ''] })).toEqual([
      'each value in tags must be longer than or equal to 1 characters',
    ]);
    expect(await problems({ name: 'ok', tags: [12345, ''] })).toEqual([
      'each value in tags must be longer than or equal to 1 characters',
    ]);
  });
});
