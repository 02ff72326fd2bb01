import { JSON_ESCAPED_NUL, LONE_SURROGATE, parseSqliteDatetime } from '@app/database';
import { numberBeyondJsonb } from './jsonb-numbers';

/** How a column's values are converted, derived from the PostgreSQL column type. */
export type ColumnKind =
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'boolean'
  | 'timestamp'
  | 'json'
  | 'decimal'
  | 'float'
  | 'text';

export interface ColumnPlan {
  /** `databaseName`: the exact (case-sensitive) identifier on both sides. */
  name: string;
  kind: ColumnKind;
  pgType: string;
  nullable: boolean;
  /** varchar(n): maximum length in characters. */
  maxLength?: number;
  precision?: number;
  scale?: number;
}

/** Thrown by a converter for a value that has no faithful PostgreSQL equivalent. */
export class InvalidValue extends Error {}

/** Turns a non-null SQLite value into PostgreSQL input text (unescaped); throws InvalidValue. */
export type Converter = (value: unknown) => string;

/** Told of a decimal written with fewer digits than the source held: the source's text, the written. */
export type OnRounded = (from: string, to: string) => void;

const INT_RANGES: Record<string, [bigint, bigint]> = {
  smallint: [-(2n ** 15n), 2n ** 15n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};

export function converterFor(column: ColumnPlan, onRounded?: OnRounded): Converter {
  switch (column.kind) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return integerConverter(column.kind);
    case 'boolean':
      return convertBoolean;
    case 'timestamp':
      return convertTimestamp;
    case 'json':
      return convertJson;
    case 'decimal':
      return decimalConverter(column.precision, column.scale, onRounded);
    case 'float':
      return convertFloat;
    case 'text':
      return textConverter(column.maxLength);
  }
}

function describe(value: unknown): string {
  if (Buffer.isBuffer(value)) return 'binary value';
  return typeof value;
}

function integerConverter(kind: 'smallint' | 'integer' | 'bigint'): Converter {
  const [min, max] = INT_RANGES[kind];
  const minN = Number(min);
  const maxN = Number(max);
  return (value) => {
    if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= minN && value <= maxN) {
        if (kind !== 'bigint' || Number.isSafeInteger(value)) return '' + value;
      }
      if (!Number.isInteger(value)) throw new InvalidValue('not an integer');
      throw new InvalidValue(`out of range for ${kind}`);
    }
    let big: bigint;
    if (typeof value === 'bigint') big = value;
    else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value))
      big = BigInt(value.trim());
    else throw new InvalidValue(`not an integer (${describe(value)})`);
    if (big < min || big > max) throw new InvalidValue(`out of range for ${kind}`);
    return big.toString();
  };
}

const BOOLEAN_TEXT: Record<string, string> = {
  true: 't',
  false: 'f',
  t: 't',
  f: 'f',
  1: 't',
  0: 'f',
};

export const convertBoolean: Converter = (value) => {
  if (value === 1 || value === 1n) return 't';
  if (value === 0 || value === 0n) return 'f';
  if (typeof value === 'string') {
    const text = BOOLEAN_TEXT[value.trim().toLowerCase()];
    if (text) return text;
  }
  throw new InvalidValue('not a boolean (expected 0/1 or true/false)');
};

/** Numbers below this magnitude are epoch seconds, larger ones epoch milliseconds. */
const EPOCH_SECONDS_LIMIT = 1e11;
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MIN_MS = Date.parse('0001-01-01T00:00:00.000Z');
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The hot path: TypeORM's SQLite format `YYYY-MM-DD HH:MM:SS.SSS` (UTC), checked without regex.
 * The same form and field checks as `parseSqliteUtcDatetime` (@app/database), kept apart because
 * that one builds a Date (Date.UTC, about 40 ns a value more here) and gives up below the year
 * 1000; this one returns the ISO text by slicing, for every year. The spec pins them together.
 */
function typeormUtcToIso(text: string): string | undefined {
  if (text.length !== 23 || text.charCodeAt(10) !== 32) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[13] !== ':' || text[16] !== ':') return undefined;
  if (text[19] !== '.') return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) {
    return undefined;
  }
  if (month === 2 && day === 29 && (year % 4 !== 0 || (year % 100 === 0 && year % 400 !== 0))) {
    return undefined;
  }
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return undefined;
  }
  if (digits(text, 20, 23) < 0) return undefined;
  return `${text.slice(0, 10)}T${text.slice(11)}Z`;
}

/**
 * SQLite reads a number in a date function as a Julian day number (what `julianday()` writes) when
 * it lies here, the days from 0000-01-01 to 9999-12-31. As epoch seconds the same numbers are
 * 1970-01-20 to 1970-03-04: no date anyone meant, so such a number is refused, not guessed at.
 */
const JULIAN_DAYS = { from: 1721059.5, below: 5373484.5 };

function fromEpochMs(ms: number): string {
  if (!(ms >= MIN_MS && ms <= MAX_MS)) throw new InvalidValue('timestamp out of range');
  return new Date(Math.floor(ms)).toISOString();
}

/**
 * Timestamps as ISO-8601 UTC with milliseconds. Text is any SQLite time value, read as the API
 * reads it (`parseSqliteDatetime`: without a zone it is UTC, TypeORM's SQLite format); numbers are
 * epoch seconds (|n| < 1e11) or epoch milliseconds, but not 0: apps write it for "no date", and
 * 1970-01-01 in PostgreSQL would pass for a real one.
 */
export const convertTimestamp: Converter = (value) => {
  if (typeof value === 'number' || typeof value === 'bigint') {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new InvalidValue('not a finite number');
    if (n === 0) {
      throw new InvalidValue(
        '0, which apps store for "no date", is not taken for 1970-01-01T00:00:00Z',
      );
    }
    if (n >= JULIAN_DAYS.from && n < JULIAN_DAYS.below) {
      throw new InvalidValue(
        `${n} may be a Julian day number (as SQLite's julianday() writes) or epoch seconds in ` +
          'early 1970; store it as text first (UPDATE … SET col = datetime(col))',
      );
    }
    // Seconds are rounded to the millisecond: a REAL like 1.001 is 1000.9999999999999 ms.
    return fromEpochMs(Math.abs(n) < EPOCH_SECONDS_LIMIT ? Math.round(n * 1000) : n);
  }
  if (typeof value !== 'string') throw new InvalidValue(`not a timestamp (${describe(value)})`);
  const fast = typeormUtcToIso(value);
  if (fast !== undefined) return fast;
  const text = value.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return convertTimestamp(Number(text));
  const parsed = parseSqliteDatetime(text);
  if ('invalid' in parsed) throw new InvalidValue(parsed.invalid);
  return fromEpochMs(parsed.ms);
};

/** A `\uD800`-`\uDFFF` escape: only JSON text holding one may stand for half a surrogate pair. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** True when a string of the parsed JSON `value`, or a key, holds a lone surrogate. */
function hasLoneSurrogate(value: unknown): boolean {
  const pending = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item)) return true;
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (LONE_SURROGATE.test(key)) return true;
        pending.push(child);
      }
    }
  }
  return false;
}

/**
 * SQLite's JSON functions refuse nesting deeper than this, json() included, through which the app
 * on SQLite reads the column: such a value was never readable there. Deeper JSON would also
 * overflow the checksum's recursion (about 4,000 levels), and PostgreSQL's stack limit (past
 * about 10,000 levels by default) in the middle of the COPY.
 */
const MAX_JSON_DEPTH = 1000;

/** The deepest nesting of arrays and objects in valid JSON `text` (brackets in strings aside). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) deepest = Math.max(deepest, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/**
 * JSON text must parse; jsonb refuses the NUL escape and an escaped half of a surrogate pair
 * without its other half (`"\ud83d"`, an emoji cut in two), so they are refused here, with
 * their key, and not by PostgreSQL in the middle of the COPY.
 */
export const convertJson: Converter = (value) => {
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number') {
    // A REAL too large for a double (e.g. 1e400) is stored as Infinity, which String() turns
    // into the text "Infinity": not JSON, and jsonb has no such number.
    if (!Number.isFinite(value)) throw new InvalidValue('not a finite number');
    return String(value);
  }
  if (typeof value !== 'string') throw new InvalidValue(`not JSON text (${describe(value)})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidValue('invalid JSON');
  }
  if (JSON_ESCAPED_NUL.test(value))
    throw new InvalidValue('JSON contains \\u0000 (refused by jsonb)');
  if (SURROGATE_ESCAPE.test(value) && hasLoneSurrogate(parsed)) {
    throw new InvalidValue('JSON contains an unpaired surrogate escape (refused by jsonb)');
  }
  // Nesting deeper than MAX_JSON_DEPTH takes two brackets a level.
  if (value.length > 2 * MAX_JSON_DEPTH && nestingDepth(value) > MAX_JSON_DEPTH) {
    throw new InvalidValue(
      `JSON nested deeper than ${MAX_JSON_DEPTH} levels (SQLite's json() refuses it too)`,
    );
  }
  const beyond = numberBeyondJsonb(value);
  if (beyond !== undefined) {
    throw new InvalidValue(
      `JSON number ${beyond} is beyond PostgreSQL's numeric range (refused by jsonb)`,
    );
  }
  return value;
};

export const convertFloat: Converter = (value) => {
  const n = typeof value === 'string' ? Number(value.trim()) : Number(value);
  if (typeof value === 'string' && value.trim() === '') throw new InvalidValue('empty string');
  if (typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'string') {
    throw new InvalidValue(`not a number (${describe(value)})`);
  }
  if (Number.isNaN(n)) throw new InvalidValue('not a number');
  return String(n);
};

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Whether `text` (plain or exponent notation) has non-zero digits beyond `rounded`'s. */
function lostDigits(text: string, rounded: string, scale: number): boolean {
  if (/e/i.test(text)) return Number(text) !== Number(rounded);
  const dot = text.indexOf('.');
  return dot !== -1 && /[1-9]/.test(text.slice(dot + 1 + scale));
}

function decimalConverter(precision?: number, scale?: number, onRounded?: OnRounded): Converter {
  const maxIntegerDigits = precision === undefined ? Infinity : precision - (scale ?? 0);
  return (value) => {
    let text: string;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new InvalidValue('not a finite number');
      text = String(value);
      const dot = text.indexOf('.');
      const fraction = dot === -1 ? 0 : text.length - dot - 1;
      const integerDigits = (dot === -1 ? text.length : dot) - (value < 0 ? 1 : 0);
      if (
        text.indexOf('e') === -1 &&
        (scale === undefined || fraction <= scale) &&
        integerDigits <= maxIntegerDigits
      ) {
        return text;
      }
    } else if (typeof value === 'bigint') text = value.toString();
    else if (typeof value === 'string') text = value.trim();
    else throw new InvalidValue(`not a decimal (${describe(value)})`);
    const given = text;
    if (/e/i.test(text)) {
      const n = Number(text);
      if (!Number.isFinite(n)) throw new InvalidValue('not a decimal');
      text = n.toFixed(Math.min(100, (scale ?? 20) + 1));
    }
    if (!DECIMAL.test(text)) throw new InvalidValue('not a decimal');
    const rounded = scale === undefined ? text : roundDecimal(text, scale);
    if (precision !== undefined) {
      const integerDigits = rounded.replace(/^[+-]/, '').split('.')[0].replace(/^0+/, '').length;
      if (integerDigits > precision - (scale ?? 0)) {
        throw new InvalidValue(`out of range for numeric(${precision},${scale ?? 0})`);
      }
    }
    if (onRounded && scale !== undefined && lostDigits(given, rounded, scale)) {
      onRounded(given, rounded);
    }
    return rounded;
  };
}

/** Rounds a plain decimal string to `scale` digits, half away from zero (as PostgreSQL does). */
export function roundDecimal(text: string, scale: number): string {
  const negative = text.startsWith('-');
  const [intPart, fracPart = ''] = text.replace(/^[+-]/, '').split('.');
  const digits = ((intPart || '0') + fracPart.padEnd(scale + 1, '0').slice(0, scale)).split('');
  if ((fracPart[scale] ?? '0') >= '5') {
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === '9') digits[i--] = '0';
    if (i < 0) digits.unshift('1');
    else digits[i] = String(Number(digits[i]) + 1);
  }
  const whole =
    digits
      .slice(0, digits.length - scale)
      .join('')
      .replace(/^0+(?=\d)/, '') || '0';
  const frac = digits.slice(digits.length - scale).join('');
  const result = scale > 0 ? `${whole}.${frac}` : whole;
  return negative && /[1-9]/.test(result) ? `-${result}` : result;
}

function textConverter(maxLength?: number): Converter {
  return (value) => {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' || typeof value === 'bigint') text = String(value);
    else throw new InvalidValue(`not text (${describe(value)})`);
    if (text.indexOf('\0') !== -1) throw new InvalidValue('contains a NUL character');
    if (maxLength !== undefined && text.length > maxLength && [...text].length > maxLength) {
      throw new InvalidValue(`longer than ${maxLength} characters`);
    }
    return text;
  };
}
