import { IsString, validate } from 'class-validator';
import { Nullable, Optional } from './optional';

class Dto {
  @Optional()
  @IsString()
  name?: unknown;

  @Nullable()
  @IsString()
  note?: unknown;
}

const problems = async (values: Partial<Dto>) => {
  const errors = await validate(Object.assign(new Dto(), values));
  return errors.flatMap((e) => Object.values(e.constraints ?? {})).sort();
};

describe('Optional and Nullable', () => {
  it('skip the checks of a property left out', async () => {
    expect(await problems({})).toEqual([]);
    expect(await problems({ name: undefined, note: undefined })).toEqual([]);
  });

  it('Optional validates null (a NOT NULL column would refuse it), Nullable lets it through', async () => {
    expect(await problems({ name: null, note: null })).toEqual(['name must be a string']);
  });

  it('validate every other value', async () => {
    expect(await problems({ name: 5, note: 5 })).toEqual([
      'name must be a string',
      'note must be a string',
    ]);
    expect(await problems({ name: 'a', note: 'b' })).toEqual([]);
  });
});
