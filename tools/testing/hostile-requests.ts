import fc from 'fast-check';

/** The slice of an OpenAPI 3 document the generator reads. */
interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface HostileRequest {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  /** Why it must be rejected (for failure messages). */
  poison: string;
}

const BAD_IDS = [
  'abc',
  '0',
  '-1',
  '1.5',
  '1e3',
  '0x10',
  '2147483648',
  '99999999999999999999',
  '%00',
  '1%00',
  '%20',
  'null',
  'undefined',
  '1%3BDROP%20TABLE%20projects',
  '%F0%9F%98%80',
  '1,2',
  '%2e%2e',
];
const NUL = 'a\u0000b';
const LONE_HIGH = 'x\uD800';
const LONE_LOW = '\uDFFFx';
const SQL = "'; DROP TABLE projects; --";

function resolve(schema: Schema | undefined, doc: OpenApiDocument): Schema {
  if (!schema?.$ref) return schema ?? {};
  return doc.components?.schemas?.[schema.$ref.split('/').pop()!] ?? {};
}

/** A value `schema` accepts (unique where strings are involved). */
function validValue(schema: Schema, doc: OpenApiDocument, seedId: number, n: number): unknown {
  const s = resolve(schema, doc);
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'string':
      return s.format === 'date-time'
        ? new Date(0).toISOString()
        : `v${n}`.slice(0, Math.max(s.maxLength ?? 20, 1));
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? seedId, seedId);
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return validObject(s, doc, seedId, n);
    default:
      return null;
  }
}

function validObject(schema: Schema, doc: OpenApiDocument, seedId: number, n: number) {
  const s = resolve(schema, doc);
  return Object.fromEntries(
    (s.required ?? []).map((key) => [key, validValue(s.properties![key], doc, seedId, n)]),
  );
}

/** Values `schema` must reject. */
function invalidValues(schema: Schema, doc: OpenApiDocument): unknown[] {
  const s = resolve(schema, doc);
  const nullable = s.nullable ? [] : [null];
  const wrongShapes = [{}, [], { $gt: '' }];
  switch (s.type) {
    case 'string':
      return [
        ...nullable,
        ...wrongShapes,
        123,
        true,
        NUL,
        LONE_HIGH,
        LONE_LOW,
        ...(s.maxLength !== undefined ? ['x'.repeat(s.maxLength + 1)] : []),
        ...(s.minLength ? [''] : []),
        ...(s.enum ? ['not-a-member'] : []),
        ...(s.format === 'date-time' ? ['yesterday', '2024-13-45T99:00:00Z'] : []),
      ];
    case 'integer':
    case 'number':
      return [
        ...nullable,
        ...wrongShapes,
        '1',
        'abc',
        true,
        // 1.5 is a valid number; the API's numbers that are not integers (hours) take at most
        // two decimals, which exponent notation must not slip past (1e-7 once gave a 500).
        s.type === 'integer' ? 1.5 : 1e-7,
        1e308,
        ...(s.minimum !== undefined ? [s.minimum - 1] : [-1]),
        ...(s.maximum !== undefined ? [s.maximum + 1] : [2 ** 53]),
      ];
    case 'boolean':
      return [...nullable, ...wrongShapes, 'true', 1, 0, 'yes'];
    case 'array':
      return [...nullable, 'x', 1, {}, [NUL], [{ $ne: 1 }], ['x'.repeat(70_000)]];
    default:
      return [...nullable, 'x', 1, [], NUL];
  }
}

function queryArbitrary(parameters: Parameter[]): fc.Arbitrary<[string, string]> {
  const names = parameters.map((p) => p.name);
  const perParameter = parameters.flatMap((p) => {
    const s = p.schema ?? {};
    const values =
      s.type === 'string'
        ? ['%00', '%ED%A0%80', 'x'.repeat((s.maxLength ?? 1000) + 1)]
        : ['abc', '1.5', '-1', '1e400', String((s.maximum ?? 2 ** 31) + 1), '%00', '', '0x1'];
    return [
      ...values.map((v) => [`${p.name}=${v}`, `bad ${p.name}`] as [string, string]),
      [`${p.name}=1&${p.name}=2`, `duplicated ${p.name}`] as [string, string],
      [`${p.name}[]=1`, `array-style ${p.name}`] as [string, string],
      [`${p.name}[$gt]=1`, `object-style ${p.name}`] as [string, string],
    ];
  });
  const unknown: [string, string][] = [
    ['unknown=1', 'unknown parameter'],
    ['__proto__[x]=1', 'prototype key'],
    [`${names[0] ?? 'x'}=%00&${SQL}=1`, 'NUL and SQL key'],
  ];
  return fc.constantFrom(...perParameter, ...unknown);
}

function bodyArbitrary(schema: Schema, doc: OpenApiDocument, seedId: number) {
  const s = resolve(schema, doc);
  const properties = Object.entries(s.properties ?? {});
  const json = (value: unknown, poison: string) => ({
    body: JSON.stringify(value),
    contentType: 'application/json',
    poison,
  });
  const fieldPoison = fc
    .tuple(fc.constantFrom(...properties), fc.nat(), fc.nat())
    .map(([[key, propSchema], pick, n]) => {
      const bad = invalidValues(propSchema, doc);
      const value = bad[pick % bad.length];
      return json(
        { ...validObject(s, doc, seedId, n), [key]: value },
        `${key}=${JSON.stringify(value)?.slice(0, 40)}`,
      );
    });
  const structural = fc.constantFrom(
    json({ ...validObject(s, doc, seedId, 1), unknownField: 1 }, 'unknown field'),
    json({ ...validObject(s, doc, seedId, 2), [SQL]: 'x' }, 'SQL-looking field name'),
    json({ ...validObject(s, doc, seedId, 3), ['k\u0000']: 1 }, 'NUL in a field name'),
    json([validObject(s, doc, seedId, 4)], 'array instead of object'),
    json('just a string', 'string body'),
    json(null, 'null body'),
    json(42, 'number body'),
    { body: '{"name": ', contentType: 'application/json', poison: 'malformed JSON' },
    { body: '{"a":1,}', contentType: 'application/json', poison: 'trailing comma' },
    { body: '', contentType: 'application/json', poison: 'empty JSON body' },
    { body: '{"__proto__":{"admin":true}}', contentType: 'application/json', poison: '__proto__' },
    {
      body: '{"constructor":{"prototype":{"admin":true}}}',
      contentType: 'application/json',
      poison: 'constructor.prototype',
    },
    {
      body: JSON.stringify(validObject(s, doc, seedId, 5)),
      contentType: 'text/plain',
      poison: 'text/plain',
    },
    { body: 'name=x', contentType: 'application/x-www-form-urlencoded', poison: 'form body' },
    { body: 'x', contentType: 'application/xml', poison: 'xml body' },
    {
      body: JSON.stringify({ pad: 'x'.repeat(70 * 1024) }),
      contentType: 'application/json',
      poison: 'oversized body',
    },
    {
      body: '['.repeat(5000) + ']'.repeat(5000),
      contentType: 'application/json',
      poison: 'deep nesting',
    },
  );
  const missing = (s.required ?? []).length
    ? [fc.constant(json({}, 'required fields missing'))]
    : [];
  return fc.oneof(fieldPoison, fieldPoison, structural, ...missing);
}

/**
 * Requests every route in `doc` must reject (writes) or answer safely (reads): bad ids,
 * bad, duplicated and array-style query parameters, and bodies that break the schema.
 * `seedId` is an existing row's id, so write rejections must come from validation.
 */
export function hostileRequests(
  doc: OpenApiDocument,
  seedId: number,
  skip: RegExp = /^\/(health|docs)/,
): fc.Arbitrary<HostileRequest> {
  const operations = Object.entries(doc.paths)
    .filter(([path]) => !skip.test(path))
    .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  return fc.oneof(
    ...operations.map(({ path, method, op }) => {
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const fill = (value: string) =>
        pathParams.reduce((p, name) => p.replace(`{${name}}`, value), path);
      const verb = method.toUpperCase();
      const parts: fc.Arbitrary<HostileRequest>[] = [];
      if (pathParams.length > 0) {
        const validBody = bodySchema
          ? JSON.stringify(validObject(resolve(bodySchema, doc), doc, seedId, 9))
          : undefined;
        parts.push(
          fc.constantFrom(...BAD_IDS, '2147483647').map((id) => ({
            method: verb,
            path: fill(id),
            body: validBody,
            contentType: validBody ? 'application/json' : undefined,
            poison: `id ${id}`,
          })),
        );
      }
      if (queryParams.length > 0) {
        parts.push(
          queryArbitrary(queryParams).map(([query, poison]) => ({
            method: verb,
            path: `${fill(String(seedId))}?${query}`,
            poison,
          })),
        );
      }
      if (bodySchema) {
        parts.push(
          bodyArbitrary(bodySchema, doc, seedId).map((body) => ({
            method: verb,
            path: fill(String(seedId)),
            ...body,
          })),
        );
      }
      return parts.length > 0
        ? fc.oneof(...parts)
        : fc.constant({ method: verb, path, poison: 'none' });
    }),
  );
}
