import { IsOptional } from 'class-validator';
import { repeatedParameters, reservedNames, unstorableValues } from './validation';

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
