import { BadRequestException, Param, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

const MAX_ID = 2_147_483_647;

/** Ids are positive 32-bit integers; anything else is a 400, never a database error. */
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(id >= 1 && id <= MAX_ID)) {
      throw new BadRequestException(`id must be an integer from 1 to ${MAX_ID}`);
    }
    return id;
  }
}

/** The `:id` route parameter, validated, and documented in OpenAPI as a positive integer. */
export const IdParam = (): ParameterDecorator => (target, key, index) => {
  Param('id', new ParseIdPipe())(target, key, index);
  if (key === undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor;
  ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1, maximum: MAX_ID } })(
    target,
    key,
    descriptor,
  );
};
