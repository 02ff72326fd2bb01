import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { LONE_SURROGATE } from '@app/database';
import { FieldError } from './problem-details';

/** A 400 carrying one `{ field, message }` per validation failure. */
export class ValidationProblem extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super('The request is invalid');
  }
}

/** An unknown field's message; `?=1` and `{"": 1}` have a field with no name. */
const notAllowed = (field: string) => `${field || 'a field with an empty name'} is not allowed`;

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: error.constraints?.whitelistValidation ? notAllowed(field) : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** NUL (PostgreSQL rejects it in text) and UTF-16 halves that have no other half. */
const unsafe = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

/** Deeper input is refused: no DTO nests this far, and recursion must stay bounded. */
const MAX_DEPTH = 32;

/**
 * Every value in `value` that neither dialect could store as given: a string (keys included)
 * with NUL or an unpaired surrogate, and a number JSON allows but a double cannot hold (`1e400`
 * parses as Infinity, which would be stored as null). `field` is the top-level property (the one
 * a DTO declares); the message gives the full path.
 */
export function unstorableValues(value: unknown, path: string[] = []): FieldError[] {
  if (typeof value === 'string') {
    return unsafe(value) ? problemAt(path, 'contains a NUL character or unpaired surrogate') : [];
  }
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? []
      : problemAt(path, 'is a number beyond the range of a double (at most about 1.8e308)');
  }
  if (value === null || typeof value !== 'object') return [];
  if (path.length >= MAX_DEPTH) return problemAt(path, 'is nested too deeply');
  return Object.entries(value).flatMap(([key, child]) =>
    unsafe(key)
      ? problemAt(path, 'has a field name with a NUL character or unpaired surrogate')
      : unstorableValues(child, [...path, key]),
  );
}

/** The one error of `unstorableValues` for the value at `path`. */
function problemAt(path: string[], what: string): FieldError[] {
  return [{ field: path[0] ?? 'value', message: `${path.join('.') || 'value'} ${what}` }];
}

/**
 * Field names that Nest's ValidationPipe (`__proto__`, `prototype`, `constructor`) and
 * class-transformer (every name an object inherits: `toString`, `hasOwnProperty`...) drop before
 * the whitelist sees them, at any depth: no DTO declares one, so they are refused instead.
 */
const RESERVED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * The field names in `value` that would be dropped silently: at the top a 400 like any unknown
 * field's, deeper (in a free-form JSON object such as `metadata`) one naming the path. Runs after
 * `unstorableValues`, which bounds the depth.
 */
export function reservedNames(value: unknown, path: string[] = []): FieldError[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    if (!RESERVED_NAMES.has(key)) return reservedNames(child, [...path, key]);
    if (path.length === 0) return [{ field: key, message: notAllowed(key) }];
    return [{ field: path[0], message: `${path.join('.')} has a reserved field name: ${key}` }];
  });
}

/**
 * Fastify reads `?limit=5&limit=6` as `limit: ['5', '6']`, which no query parameter here takes:
 * a parameter the query class declares, given more than once, is said to be so rather than
 * failing its type check. Undeclared ones stay unknown fields.
 */
export function repeatedParameters(
  value: unknown,
  { type, metatype }: ArgumentMetadata,
): FieldError[] {
  if (type !== 'query' || !metatype || value === null || typeof value !== 'object') return [];
  const given = Object.entries(value).filter(([, values]) => Array.isArray(values));
  if (given.length === 0) return []; // the common case: no metadata lookup
  const declared = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(metatype, '', true, false)
      .map((metadata) => metadata.propertyName),
  );
  return given
    .filter(([key]) => declared.has(key))
    .map(([key]) => ({ field: key, message: `${key} must be given once` }));
}

const PRIMITIVES: unknown[] = [Number, String, Boolean];

/** A body bound to a DTO class must be a JSON object (not an array, string or null). */
function notAnObject(value: unknown, { type, metatype }: ArgumentMetadata): FieldError[] {
  const dto = type === 'body' && metatype && ![Object, Array, ...PRIMITIVES].includes(metatype);
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  return dto && !isObject
    ? [{ field: 'body', message: 'the request body must be a JSON object' }]
    : [];
}

/**
 * Strict validation, and text both dialects store the same: NUL and unpaired surrogates are a
 * 400 on SQLite and PostgreSQL alike (PostgreSQL cannot store NUL; an unpaired surrogate would
 * silently become U+FFFD in UTF-8). A route parameter typed as a primitive is left as sent, for
 * its own pipe (`IdParam`) to parse: global pipes run first, and ValidationPipe's conversion
 * (`+value`) would read "1e2", "0x10" or " 5" as ids.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problems = [...notAnObject(value, metadata), ...unstorableValues(value)];
      if (problems.length > 0) throw new ValidationProblem(problems.slice(0, 20));
    }
    if (metadata.type === 'param' && PRIMITIVES.includes(metadata.metatype)) return value;
    const reserved = metadata.type === 'custom' ? [] : reservedNames(value);
    const repeated = repeatedParameters(value, metadata);
    if (reserved.length === 0 && repeated.length === 0) return super.transform(value, metadata);
    // The DTO's own errors too, after these, as for any other unknown field; a repeated
    // parameter has had its say.
    const others =
      repeated.length === 0
        ? value
        : Object.fromEntries(
            Object.entries(value as object).filter(
              ([key]) => !repeated.some((e) => e.field === key),
            ),
          );
    const errors = await super.transform(others, metadata).then(
      () => [],
      (error: unknown) => {
        if (error instanceof ValidationProblem) return error.errors;
        throw error;
      },
    );
    throw new ValidationProblem([...reserved, ...repeated, ...errors].slice(0, 20));
  }
}

/** Strict global validation: unknown fields are rejected, types are not coerced silently. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(flatten(errors)),
  });
}
