import { BadRequestException } from '@nestjs/common';
import { ParseIdPipe } from './id-param';

describe('ParseIdPipe', () => {
  const pipe = new ParseIdPipe();

  it('reads ids from 1 to 2147483647, leading zeros allowed within 10 digits', () => {
    expect(pipe.transform('1')).toBe(1);
    expect(pipe.transform('2147483647')).toBe(2_147_483_647);
    expect(pipe.transform('0000000042')).toBe(42);
  });

  it.each([
    '0',
    '2147483648',
    '9999999999',
    '00000000001',
    '-1',
    '+1',
    '1e2',
    '0x10',
    ' 5',
    '5 ',
    '5\n',
    '1.0',
    '',
    '١',
  ])('refuses %j with a 400 naming the range', (value) => {
    expect(() => pipe.transform(value)).toThrow(
      new BadRequestException('id must be an integer from 1 to 2147483647'),
    );
  });
});
