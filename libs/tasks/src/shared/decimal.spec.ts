import { validate } from 'class-validator';
import fc from 'fast-check';
import { decimalPlaces, IsDecimalNumber, isDecimalNumber } from './decimal';

describe('decimalPlaces', () => {
  it.each([
    [0, 0],
    [3, 0],
    [1.25, 2],
    [-1.5, 1],
    [999_999.99, 2],
    [1e21, 0],
    [1e-7, 7],
    [1.5e-7, 8],
    [5e-324, 324],
  ])('%p has %p', (value, places) => expect(decimalPlaces(value)).toBe(places));
});

describe('isDecimalNumber', () => {
  it.each([0, 1, 1.2, 1.25, 999_999.99, 1e21])('accepts %p with 2 places', (value) =>
    expect(isDecimalNumber(value, 2)).toBe(true),
  );

  it.each([1.234, 1e-7, 1.5e-7, 5e-324, NaN, Infinity, -Infinity, '1.5', null, {}])(
    'rejects %p with 2 places',
    (value) => expect(isDecimalNumber(value, 2)).toBe(false),
  );

  it('never throws on any double', () => {
    fc.assert(fc.property(fc.double(), (value) => typeof isDecimalNumber(value, 2) === 'boolean'));
  });

  it('accepts exactly the numbers that are a whole number of hundredths', () => {
    const hundredths = fc.integer({ min: -1e12, max: 1e12 }).map((cents) => cents / 100);
    const anyNumber = fc.oneof(hundredths, fc.double({ min: -1e10, max: 1e10, noNaN: true }));
    fc.assert(
      fc.property(anyNumber, (value) => {
        const wholeHundredths = String(Math.round(value * 100) / 100) === String(value);
        return isDecimalNumber(value, 2) === wholeHundredths;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('@IsDecimalNumber', () => {
  class Dto {
    @IsDecimalNumber(2)
    hours: unknown = 1.25;

    @IsDecimalNumber(1, { each: true })
    steps: unknown = [0.5, 2];
  }
  const problems = async (values: Partial<Dto>) => {
    const errors = await validate(Object.assign(new Dto(), values));
    return errors.flatMap((e) => Object.values(e.constraints ?? {}));
  };

  it('accepts numbers with at most its places, every item with each', async () => {
    expect(await problems({})).toEqual([]);
  });

  it('names the property and its places', async () => {
    expect(await problems({ hours: 1.255 })).toEqual([
      'hours must be a number with at most 2 decimal places',
    ]);
    expect(await problems({ hours: '1.5' })).toEqual([
      'hours must be a number with at most 2 decimal places',
    ]);
    expect(await problems({ steps: [0.5, 0.25] })).toEqual([
      'steps must be a number with at most 1 decimal places',
    ]);
  });
});
