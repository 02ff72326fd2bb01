import { ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe, ValidationProblem } from '@app/http';
import { PageQuery } from './page';

const query: ArgumentMetadata = { type: 'query', metatype: PageQuery };

/** The query as the API's pipe hands it to a controller, or its field errors. */
async function parsed(value: Record<string, string>): Promise<unknown> {
  try {
    return { ...(await createValidationPipe().transform(value, query)) };
  } catch (error) {
    if (error instanceof ValidationProblem) return error.errors;
    throw error;
  }
}
const notAnInteger = (field: string) => [{ field, message: `${field} must be an integer number` }];

describe('PageQuery', () => {
  it('defaults to the first 20', async () => {
    expect(await parsed({})).toEqual({ limit: 20, offset: 0 });
  });

  it('reads limit 1..100 and offset 0..2147483647 as numbers', async () => {
    expect(await parsed({ limit: '1', offset: '0' })).toEqual({ limit: 1, offset: 0 });
    expect(await parsed({ limit: '100', offset: '2147483647', q: 'x' })).toEqual({
      limit: 100,
      offset: 2_147_483_647,
      q: 'x',
    });
  });

  it('refuses numbers out of bounds with their bound', async () => {
    expect(await parsed({ limit: '0' })).toEqual([
      { field: 'limit', message: 'limit must not be less than 1' },
    ]);
    expect(await parsed({ limit: '101' })).toEqual([
      { field: 'limit', message: 'limit must not be greater than 100' },
    ]);
    expect(await parsed({ offset: '-1' })).toEqual([
      { field: 'offset', message: 'offset must not be less than 0' },
    ]);
    expect(await parsed({ offset: '2147483648' })).toEqual([
      { field: 'offset', message: 'offset must not be greater than 2147483647' },
    ]);
  });

  it.each(['', ' 5', '5 ', '+5', '5.0', '1.5', '1e1', '0x10', 'five', '-', '00000000005'])(
    'leaves %j as text, which is no integer',
    async (text) => {
      expect(await parsed({ limit: text })).toEqual(notAnInteger('limit'));
    },
  );

  it('bounds q to 200 code points', async () => {
    expect(await parsed({ q: '\u{1F600}'.repeat(200) })).toMatchObject({ q: expect.any(String) });
    expect(await parsed({ q: 'x'.repeat(201) })).toEqual([
      { field: 'q', message: 'q must be shorter than or equal to 200 characters' },
    ]);
  });
});
