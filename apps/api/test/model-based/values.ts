import fc from 'fast-check';
import { Json, JsonObject } from './model';

/**
 * Generators of valid field values. Names come mostly from a small pool of spellings that collide
 * case-insensitively (after NFKC) or almost do, so that conflicts (409) and case-insensitive tag
 * matches happen often; the rest is random Unicode text.
 */

const codePoints = (text: string) => [...text].length;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Text both dialects store as given: no NUL, no unpaired surrogate. */
const storable = (text: string) => !text.includes('\u0000') && !LONE_SURROGATE.test(text);

/** Random Unicode text of `min..max` code points. */
export const text = (min: number, max: number) =>
  fc
    .string({ unit: 'grapheme', minLength: min, maxLength: max })
    .filter((s) => storable(s) && codePoints(s) >= min && codePoints(s) <= max);

export const NAME_POOL = [
  'Home',
  'home',
  'HOME',
  'Ärger',
  'ärger',
  'ÄRGER',
  'ﬁle', // U+FB01: NFKC "fi"
  'FILE',
  'Ⅻ', // U+216B: NFKC "XII"
  'xii',
  'Straße',
  'STRASSE', // not "straße": lower case, not full case folding
  'K', // U+212A KELVIN SIGN: NFKC "K"
  'k',
  'e\u0301', // NFKC "é"
  'é',
  'Σίσυφος',
  'ΣΊΣΥΦΟΣ', // lower case ends in final sigma: the same name
  'σίσυφοσ', // typed with σ: another name
  '😀',
  'ﷺ', // one code point, key of 18
  '100%_done',
  'a\\b',
];

export type Spelling = 'as-is' | 'upper' | 'lower';
export const spelling = fc.constantFrom<Spelling>('as-is', 'upper', 'lower');
/** `name` in upper or lower case, unless that makes it longer than `max` code points (ß: SS). */
export function spell(name: string, how: Spelling, max = 40): string {
  const spelled =
    how === 'upper' ? name.toUpperCase() : how === 'lower' ? name.toLowerCase() : name;
  return codePoints(spelled) <= max ? spelled : name;
}

/**
 * A name of at most `max` code points (40 for tags, 120 for projects), or (`like`) the name of
 * the `n`-th live row when the step runs, respelled: conflicts and case-only renames.
 */
export interface NameSpec {
  name: string;
  like?: { n: number; spelling: Spelling };
}
export const nameSpec = (max: number): fc.Arbitrary<NameSpec> =>
  fc.record(
    {
      name: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...NAME_POOL) },
        { weight: 1, arbitrary: fc.constantFrom('x'.repeat(max), 'ﷺ'.repeat(max)) },
        { weight: 3, arbitrary: text(1, 8) },
      ),
      like: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.record({ n: fc.nat(1000), spelling }) },
      ),
    },
    { requiredKeys: ['name'] },
  );

export function nameOf({ name, like }: NameSpec, rows: { name: string }[], max: number): string {
  return like && rows.length > 0
    ? spell(rows[like.n % rows.length].name, like.spelling, max)
    : name;
}

export const TITLE_POOL = [
  'alpha',
  'Bravo',
  'bravo',
  'Échec',
  'ｚ', // U+FF5A: after every ASCII letter by code point
  '😀 smile', // astral: after U+FF5A by code point, before it in UTF-16
  'Z',
  'a%b_c\\',
  'ΟΔΟΣΑ',
  '😀'.repeat(200),
];
export const title = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TITLE_POOL) },
  { weight: 1, arbitrary: text(1, 12) },
);
export const notes = fc.oneof(
  fc.constant(null),
  fc.constantFrom('Über die BRÜCKE', 'line one\nline two', 'ß', 'STRASSE', 'ΑΣΣΟΣ ΟΔΟΣ'),
  text(0, 12),
);

/**
 * Search text: a piece (`slice`: start and length in code points) of a live row's text when the
 * step runs, so that searches find something; or fixed text: LIKE wildcards, a line break, parts
 * of the pools in upper case, random.
 */
export type SearchSpec = { text: string } | { slice: [n: number, start: number, length: number] };
export const searchSpec: fc.Arbitrary<SearchSpec> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      slice: fc.tuple(fc.nat(1000), fc.nat(12), fc.integer({ min: 1, max: 6 })),
    }),
  },
  fc.record({
    text: fc.oneof(
      fc.constantFrom(
        'a',
        'BRAVO',
        'ä',
        'É',
        'e\u0301',
        '%',
        '_',
        '\\',
        '\n',
        'ss',
        'SS',
        'FI',
        'o\nl',
        'ΟΔΟΣ', // final sigma here, not in ΟΔΟΣΑ
        'ΑΣ',
        'οδος',
      ),
      fc
        .constantFrom(...TITLE_POOL, ...NAME_POOL)
        .map((s) => [...s].slice(0, 3).join('').toUpperCase()),
      text(1, 3),
    ),
  }),
);

/** The search text of `spec` among `texts` (the rows' searchable text). */
export function searchOf(spec: SearchSpec, texts: string[]): string {
  if ('text' in spec) return spec.text;
  const [n, start, length] = spec.slice;
  const chars = texts.length > 0 ? [...texts[n % texts.length]] : ['a'];
  const from = start % chars.length;
  return chars.slice(from, from + length).join('');
}

export const color = fc.oneof(
  fc.constant(null),
  fc.constantFrom('#22aa88', '#22AA88', '#000000', '#FFFFFF'),
);

const MIN_DUE = Date.UTC(1000, 0, 2);
const MAX_DUE = Date.UTC(9999, 11, 30);
/** A few instants that tasks share, so that sorts by dueAt meet ties. */
const COMMON_INSTANTS = [
  Date.UTC(2030, 0, 15, 8),
  Date.UTC(2030, 0, 15, 8, 0, 0, 1),
  0,
  // New York's switch from its local mean time (-04:56:02) to -05:00, and a DST change.
  Date.UTC(1883, 10, 18, 16, 59, 59, 999),
  Date.UTC(1883, 10, 18, 17),
  Date.UTC(2030, 2, 10, 7),
];
export const instant = fc.oneof(
  fc.constantFrom(...COMMON_INSTANTS, MIN_DUE, MAX_DUE),
  fc.integer({ min: MIN_DUE, max: MAX_DUE }),
);

/** Offsets in minutes, written as `Z`, `±hh:mm`, `-00:00`. */
const OFFSETS = ['Z', '+00:00', '-00:00', '+02:00', '-05:00', '+05:45', '+14:00', '-12:00'];

/** `ms` written with an offset; `digits`: fraction digits (0 drops seconds when they are 0). */
export function writeInstant(ms: number, offset: string, digits: 0 | 3 | 9): string {
  const minutes =
    offset === 'Z'
      ? 0
      : (offset[0] === '-' ? -1 : 1) * (60 * +offset.slice(1, 3) + +offset.slice(4));
  const local = new Date(ms + minutes * 60_000).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const fraction =
    digits === 0 ? '' : digits === 3 ? local.slice(19, 23) : `${local.slice(19, 23)}999999`;
  const time =
    digits === 0 && local.slice(16, 23) === ':00.000' ? local.slice(0, 16) : local.slice(0, 19);
  return `${time}${fraction}${offset}`;
}

/** A valid `dueAt` text for `ms`: any offset, precision from minutes to nanoseconds. */
export const instantText = (ms: number) =>
  fc
    .tuple(fc.constantFrom(...OFFSETS), fc.constantFrom<0 | 3 | 9>(0, 3, 9))
    .map(([offset, digits]) => writeInstant(digits === 0 ? ms - (ms % 1000) : ms, offset, digits));

export const dueAt = fc.oneof(fc.constant(null), instant.chain(instantText));

/**
 * Stands for `-0.0` in a request body: `send` writes it so on the wire (JSON.stringify writes
 * -0 as `0`; other clients, Python's json for one, write `-0.0`). The same number as 0.
 */
export const NEGATIVE_ZERO = '\u0000-0.0';

/** The body as the API reads it: NEGATIVE_ZERO as -0. */
export function fromWire(value: unknown): unknown {
  if (value === NEGATIVE_ZERO) return -0;
  if (Array.isArray(value)) return value.map(fromWire);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, fromWire(child)]));
}

/** Every 0 in `value` (at any depth) written as -0.0. */
export function negativeZeros(value: Json): Json {
  if (value === 0) return NEGATIVE_ZERO;
  if (Array.isArray(value)) return value.map(negativeZeros);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, negativeZeros(child)]),
  );
}

/** Hours with at most 2 decimals, 0..999 999.99. */
export const estimateHours = fc.oneof(
  fc.constant(null),
  fc.constantFrom(0, NEGATIVE_ZERO, 0.01, 1.5, 999_999.99),
  fc.integer({ min: 0, max: 99_999_999 }).map((cents) => cents / 100),
);

const RESERVED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
const metadataKey = fc.oneof(
  fc.constantFrom('a', 'b', 'z', 'aa', 'ab', 'B', '10', '2', 'é', 'e\u0301', '😀', 'key "q"', ''),
  text(0, 6),
);

/** Every key and string storable and no reserved key, at any depth. */
function acceptable(value: Json): boolean {
  if (typeof value === 'string') return storable(value);
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(acceptable);
  return Object.entries(value).every(
    ([key, child]) => storable(key) && !RESERVED.has(key) && acceptable(child),
  );
}

/** A JSON object up to depth 4: unicode keys and strings, numbers of every size. */
export const metadataObject: fc.Arbitrary<JsonObject> = fc
  .dictionary(
    metadataKey,
    fc.jsonValue({ maxDepth: 2, stringUnit: 'grapheme' }) as fc.Arbitrary<Json>,
    { maxKeys: 5, noNullPrototype: true },
  )
  .map((value) => JSON.parse(JSON.stringify(value)) as JsonObject)
  .filter((value) => acceptable(value) && Buffer.byteLength(JSON.stringify(value)) <= 16_384);

/** An object of exactly `bytes` bytes serialized: `unit` repeated under `key`, topped up with x. */
function sized(bytes: number, key: string, unit: string): JsonObject {
  const overhead = Buffer.byteLength(JSON.stringify({ [key]: '' }));
  const unitBytes = Buffer.byteLength(JSON.stringify(unit)) - 2;
  const units = Math.floor((bytes - overhead) / unitBytes);
  return { [key]: unit.repeat(units) + 'x'.repeat(bytes - overhead - units * unitBytes) };
}

/** `{"a":{"a":…{"a":1}}}`, `depth` objects deep. */
const nested = (depth: number): JsonObject => ({ a: depth === 1 ? 1 : nested(depth - 1) });

/** At the limits: 16 KiB serialized (multi-byte and escaped characters), 29 objects deep. */
const LARGEST_METADATA = [
  sized(16_384, 'pad', 'é'),
  sized(16_384, '😀', '"'),
  sized(16_384, 'q', '\u2028😀\\'),
  nested(29),
];

export const metadata = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 8, arbitrary: metadataObject },
  { weight: 1, arbitrary: fc.constantFrom(...LARGEST_METADATA) },
);

/** The same JSON value with every object's keys in reverse order. */
export function reversedKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, child]) => [key, reversedKeys(child)]),
  );
}
