import { Type as Class } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString } from 'class-validator';
import { NumberRange } from './bounds';
import { CodePointLength } from './code-point-length';
import { NoNul } from './optional';

/** Query text written as a decimal integer (optional minus, up to ten digits). */
const DECIMAL_INTEGER = /^-?\d{1,10}$/;

/**
 * A query parameter read as an integer only when written as one: `Number()` would also read
 * "0x10", "1e1", " 5", "5.0" and "" (as 0), so those stay text and fail `@IsInt()` (400).
 */
export const QueryInteger = (): PropertyDecorator =>
  Transform(({ value }) =>
    typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value,
  );

/** `limit`, `offset` and `q`, shared by every list endpoint. */
export class PageQuery {
  @ApiProperty({ type: 'integer', required: false, minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @NumberRange(1, 100)
  limit: number = 20;

  @ApiProperty({ type: 'integer', required: false, minimum: 0, maximum: 2_147_483_647, default: 0 })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @NumberRange(0, 2_147_483_647)
  offset: number = 0;

  @ApiProperty({ required: false, maxLength: 200, description: 'Case-insensitive substring' })
  @IsOptional()
  @IsString()
  @CodePointLength(0, 200)
  @NoNul()
  q?: string;
}

/** A page of results: `{ items, total, limit, offset }`. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** The documented response class of a page of `item`s; extend it as `<Item>Page`. */
export function PageOf<T>(item: Class<T>): Class<Page<T>> {
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: [item] })
    items: T[];

    @ApiProperty({ type: 'integer' })
    total: number;

    @ApiProperty({ type: 'integer' })
    limit: number;

    @ApiProperty({ type: 'integer' })
    offset: number;
  }
  return PageOfItems;
}
