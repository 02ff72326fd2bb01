import { EXACT_NUMBER_MARK, parseJsonExactly } from './exact-json';
import { ColumnKind } from './value-converters';

/**
 * JSON with object keys sorted at every level: equal documents give equal text. Numbers from
 * parseJsonExactly (marker strings) are written as their canonical text.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as any)[k])}`).join(',')}}`;
  }
  if (typeof value === 'string' && value.startsWith(EXACT_NUMBER_MARK)) return value.slice(1);
  return JSON.stringify(value) ?? 'null';
}

function stripDecimalZeros(text: string): string {
  const stripped = text.includes('.') ? text.replace(/\.?0+$/, '') : text;
  return stripped === '-0' ? '0' : stripped;
}

/**
 * Canonical text of one value, the same from both sides: booleans t/f, timestamps as epoch
 * milliseconds, JSON with sorted keys (numbers exact), decimals without trailing zeros, floats re-printed.
 * `text` is a converter's output (source) or PostgreSQL's text output of the verify query.
 */
export type Canonicalizer = (text: string) => string;

const identity: Canonicalizer = (text) => text;

/** From a converter's output (the value sent to PostgreSQL) to the canonical form. */
export function sourceCanonicalizer(kind: ColumnKind): Canonicalizer {
  switch (kind) {
    case 'timestamp':
      return (text) => String(Date.parse(text));
    case 'json':
      return (text) => canonicalJson(parseJsonExactly(text));
    case 'decimal':
      return stripDecimalZeros;
    case 'float':
      return (text) => String(Number(text));
    default:
      return identity;
  }
}

/**
 * From PostgreSQL's output of `targetSelectExpression` to the canonical form: the source's,
 * except that timestamps arrive as epoch milliseconds already.
 */
export function targetCanonicalizer(kind: ColumnKind): Canonicalizer {
  return kind === 'timestamp' ? identity : sourceCanonicalizer(kind);
}

/** The SELECT expression whose text output `targetCanonicalizer` expects. */
export function targetSelectExpression(kind: ColumnKind, quotedName: string): string {
  if (kind === 'timestamp') return `floor(extract(epoch from ${quotedName}) * 1000)::bigint`;
  if (kind === 'float') return `${quotedName}::float8`;
  return quotedName;
}

export const NULL_MARK = '\u0000N';
export const FIELD_SEPARATOR = '\u001f';

const SEPARATOR_CODE = FIELD_SEPARATOR.charCodeAt(0);

/**
 * A 64-bit row hash as two independent 32-bit halves (FNV-1a and a multiplicative mix) of the
 * fields joined by FIELD_SEPARATOR; computed field by field, without building the joined text.
 * Integer-only arithmetic (Math.imul), so it costs about a nanosecond per character: cheap
 * enough to run on every row while copying. `hashRow(values.join(FIELD_SEPARATOR))` is equal.
 */
let lane1 = 0;
let lane2 = 0;

function mixFields(values: readonly string[]): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  let length = 0;
  for (let f = 0; f < values.length; f++) {
    if (f > 0) {
      h1 = Math.imul(h1 ^ SEPARATOR_CODE, 0x01000193);
      h2 = Math.imul(h2 ^ SEPARATOR_CODE, 0x5bd1e995);
      h2 ^= h2 >>> 15;
      length++;
    }
    const text = values[f];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    length += text.length;
  }
  lane1 = (h1 ^ length) >>> 0;
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  lane2 = (h2 ^ (h2 >>> 16)) >>> 0;
  return lane1;
}

/** The row hash of `values` (canonical field texts) as two 32-bit halves. */
export function hashFields(values: readonly string[]): [number, number] {
  mixFields(values);
  return [lane1, lane2];
}

/** A 64-bit row hash of a row's joined canonical text, as two 32-bit halves. */
export function hashRow(text: string): [number, number] {
  return hashFields([text]);
}

/** Order-independent digest of a table: count plus the per-half sums of row hashes mod 2^32. */
export class TableDigest {
  rows = 0;
  private sum1 = 0;
  private sum2 = 0;

  add(rowText: string): void {
    this.addFields([rowText]);
  }

  /** Same as `add(values.join(FIELD_SEPARATOR))`, without the joined string. */
  addFields(values: readonly string[]): void {
    mixFields(values);
    this.rows++;
    this.sum1 = (this.sum1 + lane1) >>> 0;
    this.sum2 = (this.sum2 + lane2) >>> 0;
  }

  get checksum(): string {
    return this.sum1.toString(16).padStart(8, '0') + this.sum2.toString(16).padStart(8, '0');
  }
}

const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};
const COPY_UNESCAPES: Record<string, string> = {
  '\\': '\\',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** Escapes a value for PostgreSQL COPY text format. */
export function escapeCopyText(text: string): string {
  return /[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]) : text;
}

/** Splits one COPY text-format line into values (null for `\N`). */
export function parseCopyLine(line: string): (string | null)[] {
  return line.split('\t').map((field) => {
    if (field === '\\N') return null;
    if (field.indexOf('\\') === -1) return field;
    return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, c: string) => {
      if (c[0] === 'x') return String.fromCharCode(parseInt(c.slice(1), 16));
      if (/^[0-7]/.test(c)) return String.fromCharCode(parseInt(c, 8));
      return COPY_UNESCAPES[c] ?? c;
    });
  });
}
