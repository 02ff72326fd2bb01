import { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import {
  createValidationPipe,
  repeatedParameters,
  reservedNames,
  unstorableValues,
  ValidationProblem,
} from './validation';

describe('unstorableValues', () => {
  it('finds NUL characters and unpaired surrogates, in values and keys, with their path', () => {
    expect(unstorableValues({ a: 'ok', b: { c: 'x\u0000y' } })).toEqual([
      { field: 'b', message: 'b.c contains a NUL character or unpaired surrogate' },
    ]);
    expect(unstorableValues(['\uD800'])).toHaveLength(1);
    expect(unstorableValues('a\uDC00')).toHaveLength(1);
    expect(unstorableValues({ 'k\u0000': 1 })).toHaveLength(1);
  });

  it('finds numbers beyond a double (Infinity after JSON.parse), at any depth', () => {
    expect(unstorableValues(JSON.parse('{"a":{"b":[0,1e400]},"c":-1e999,"d":1e-400}'))).toEqual([
      {
        field: 'a',
        message: 'a.b.1 is a number beyond the range of a double (at most about 1.8e308)',
      },
      { field: 'c', message: 'c is a number beyond the range of a double (at most about 1.8e308)' },
    ]);
    expect(unstorableValues({ max: Number.MAX_VALUE, min: -Number.MAX_VALUE, z: -0 })).toEqual([]);
  });

  it('names a top-level value "value", a path by its dotted names', () => {
    expect(unstorableValues('\u0000')).toEqual([
      { field: 'value', message: 'value contains a NUL character or unpaired surrogate' },
    ]);
    expect(unstorableValues({ a: { 'b\uD800': 1 } })).toEqual([
      { field: 'a', message: 'a has a field name with a NUL character or unpaired surrogate' },
    ]);
  });

  it('accepts 32 levels of objects and refuses the 33rd, naming its path', () => {
    const nested = (levels: number): object =>
      levels === 1 ? { a: 1 } : { a: nested(levels - 1) };
    expect(unstorableValues(nested(32))).toEqual([]);
    expect(unstorableValues(nested(33))).toEqual([
      { field: 'a', message: `${Array(32).fill('a').join('.')} is nested too deeply` },
    ]);
  });

  it('accepts paired surrogates (emoji) and ordinary text', () => {
    expect(unstorableValues({ name: 'Garden 🌱', note: "'; DROP TABLE projects; --" })).toEqual([]);
  });
});

describe('reservedNames', () => {
  it('names inherited object keys and prototype: at the top as unknown fields, deeper by path', () => {
    const query = JSON.parse('{"__proto__":"x","limit":"5"}');
    expect(reservedNames(query)).toEqual([
      { field: '__proto__', message: '__proto__ is not allowed' },
    ]);
    expect(reservedNames({ constructor: 1, prototype: 2 }).map((e) => e.field)).toEqual([
      'constructor',
      'prototype',
    ]);
    expect(reservedNames({ metadata: { a: [{ toString: 1 }] } })).toEqual([
      { field: 'metadata', message: 'metadata.a.0 has a reserved field name: toString' },
    ]);
    expect(reservedNames({ metadata: { valueOf: 1 } })).toEqual([
      { field: 'metadata', message: 'metadata has a reserved field name: valueOf' },
    ]);
  });

  it('accepts ordinary names, including ones that merely contain a reserved one', () => {
    expect(
      reservedNames({ name: 'toString', myConstructor: { proto: 1 }, tags: ['valueOf'] }),
    ).toEqual([]);
  });
});

describe('repeatedParameters', () => {
  class Query {
    @IsOptional()
    limit?: string;

    @IsOptional()
    q?: string;
  }
  const query = { type: 'query', metatype: Query } as const;

  it('names each parameter the query declares that was given more than once', () => {
    expect(repeatedParameters({ limit: ['5', '6'], q: 'x' }, query)).toEqual([
      { field: 'limit', message: 'limit must be given once' },
    ]);
  });

  it('leaves undeclared parameters, single values and bodies alone', () => {
    expect(repeatedParameters({ foo: ['1', '2'], limit: '5' }, query)).toEqual([]);
    expect(repeatedParameters({ limit: ['5', '6'] }, { ...query, type: 'body' })).toEqual([]);
  });
});

describe('createValidationPipe', () => {
  class Owner {
    @IsString()
    name: string;
  }

  class Body {
    @IsString()
    title: string;

    @IsOptional()
    @ValidateNested()
    @Type(() => Owner)
    owner?: Owner;
  }

  class Query {
    @IsOptional()
    @IsString()
    q?: string;

    @IsOptional()
    @IsInt()
    @Min(0)
    offset?: number;
  }

  const body: ArgumentMetadata = { type: 'body', metatype: Body };
  const query: ArgumentMetadata = { type: 'query', metatype: Query };

  /** The field errors of a value the pipe must refuse. */
  async function errorsOf(value: unknown, metadata: ArgumentMetadata) {
    const error: unknown = await createValidationPipe()
      .transform(value, metadata)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ValidationProblem);
    return (error as ValidationProblem).errors;
  }

  it('names an unknown field "<name> is not allowed", an empty name as such', async () => {
    expect(await errorsOf({ title: 'x', foo: 1 }, body)).toEqual([
      { field: 'foo', message: 'foo is not allowed' },
    ]);
    expect(await errorsOf({ title: 'x', '': 1 }, body)).toEqual([
      { field: '', message: 'a field with an empty name is not allowed' },
    ]);
  });

  it('names a nested DTO field by its dotted path', async () => {
    expect(await errorsOf({ title: 'x', owner: { name: 5 } }, body)).toEqual([
      { field: 'owner.name', message: 'name must be a string' },
    ]);
  });

  it('refuses a body that is not an object, an array of valid objects included', async () => {
    const notAnObject = { field: 'body', message: 'the request body must be a JSON object' };
    expect(await errorsOf([{ title: 'x' }], body)).toEqual([notAnObject]);
    expect(await errorsOf(null, body)).toEqual([notAnObject]);
    expect(await errorsOf('\u0000', body)).toEqual([
      notAnObject,
      { field: 'value', message: 'value contains a NUL character or unpaired surrogate' },
    ]);
  });

  it('leaves a body bound to an array, a plain object or a primitive to its route', async () => {
    const pipe = createValidationPipe();
    await expect(pipe.transform(['a'], { type: 'body', metatype: Array })).resolves.toEqual(['a']);
    await expect(pipe.transform('a', { type: 'body', metatype: String })).resolves.toBe('a');
    await expect(pipe.transform([1], { type: 'body', metatype: Object })).resolves.toEqual([1]);
  });

  it('names a repeated parameter once, beside the other problems but not its type error', async () => {
    expect(await errorsOf({ q: ['a', 'b'], offset: -1 }, query)).toEqual([
      { field: 'q', message: 'q must be given once' },
      { field: 'offset', message: 'offset must not be less than 0' },
    ]);
  });

  it('gives at most 20 errors, whichever check finds them', async () => {
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`f${i}`, '\u0000']));
    expect(await errorsOf(many, body)).toHaveLength(20);
    const reserved = {
      title: 'x',
      metadata: Object.fromEntries(
        Array.from({ length: 25 }, (_, i) => [`f${i}`, { toString: 1 }]),
      ),
    };
    expect(await errorsOf(reserved, body)).toHaveLength(20);
  });

  it('leaves a primitive route parameter as sent, for its own pipe to parse', async () => {
    const pipe = createValidationPipe();
    await expect(
      pipe.transform('1e2', { type: 'param', metatype: Number, data: 'id' }),
    ).resolves.toBe('1e2');
  });

  it("leaves a custom decorator's value alone, whatever it holds", async () => {
    const value = { a: '\u0000', constructor: 1, b: Infinity };
    await expect(createValidationPipe().transform(value, { type: 'custom' })).resolves.toBe(value);
  });
});
