import { validate } from 'class-validator';
import { MaxItems, NumberRange, StringItems } from './bounds';
import { NoNul } from './optional';

class Dto {
  @NumberRange(1, 5)
  priority: unknown = 3;

  @MaxItems(2)
  @StringItems()
  @NoNul({ each: true })
  tags: unknown = ['a'];

  @NoNul()
  title: unknown = 'ok';
}

const problems = async (values: Partial<Dto>) => {
  const errors = await validate(Object.assign(new Dto(), values));
  return errors.flatMap((e) => Object.values(e.constraints ?? {})).sort();
};

describe('bounds and NoNul', () => {
  it('refuse values of their type out of bounds, with class-validator messages', async () => {
    expect(await problems({ priority: 0 })).toEqual(['priority must not be less than 1']);
    expect(await problems({ priority: 6 })).toEqual(['priority must not be greater than 5']);
    expect(await problems({ tags: ['a', 'b', 'c'] })).toEqual([
      'tags must contain no more than 2 elements',
    ]);
    expect(await problems({ tags: ['a', 5] })).toEqual(['each value in tags must be a string']);
    expect(await problems({ tags: ['a\0'], title: 'b\0' })).toEqual([
      'each value in tags must not contain NUL characters',
      'title must not contain NUL characters',
    ]);
  });

  it('accept the bounds themselves', async () => {
    expect(await problems({ priority: 1 })).toEqual([]);
    expect(await problems({ priority: 5 })).toEqual([]);
    expect(await problems({ priority: 4.5, tags: ['a', 'b'] })).toEqual([]);
  });

  it('pass values of another type, which the type checks refuse', async () => {
    expect(await problems({ priority: '9', tags: 'abc', title: 5 })).toEqual([]);
    expect(await problems({ priority: null, tags: { length: 9 }, title: ['\0'] })).toEqual([]);
  });
});
