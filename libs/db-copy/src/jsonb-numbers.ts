import { STRING_OR_NUMBER } from './exact-json';

/**
 * jsonb stores numbers as PostgreSQL's numeric: at most 131,072 digits before the decimal point
 * and 16,383 after it, where the digits after it are counted as written (`1.0e-16383` has
 * 16,384). JSON.parse takes any such number (as a double, Infinity or 0), so text with one
 * passes every other check and fails in the middle of the COPY. Only text with an exponent or a
 * long digit run can hold one.
 */
const EXPONENT = /\d[eE]/;
const LONG_DIGIT_RUN = /\d{16384}/;

const MAX_LEADING_DIGIT_POWER = 131_071;
const MAX_SCALE = 16_383;
/**
 * PostgreSQL refuses a larger exponent before looking at the digits, even on 0 (PostgreSQL 15
 * already refuses 1,073,741,823; 18 takes it).
 */
const MAX_EXPONENT = 1_073_741_822n;

const NUMBER_PARTS = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function fitsNumeric(token: string): boolean {
  const [, integer, fraction = '', exponentText = '0'] = NUMBER_PARTS.exec(token)!;
  const exponent = BigInt(exponentText);
  if (exponent > MAX_EXPONENT || -exponent > MAX_EXPONENT) return false;
  const scale = BigInt(fraction.length) - exponent;
  if (scale > MAX_SCALE) return false;
  const digits = integer + fraction;
  const leadingZeros = digits.length - digits.replace(/^0+/, '').length;
  if (leadingZeros === digits.length) return true; // zero
  // The power of ten of the first significant digit.
  const leadingPower = BigInt(integer.length - 1 - leadingZeros);
  return leadingPower + exponent <= MAX_LEADING_DIGIT_POWER;
}

/** The first number of valid JSON `text` that jsonb cannot hold, shortened for a message. */
export function numberBeyondJsonb(text: string): string | undefined {
  // Every JSON value of a copy comes here: the length check spares short text the long pattern.
  if (!EXPONENT.test(text) && !(text.length > 16_383 && LONG_DIGIT_RUN.test(text))) {
    return undefined;
  }
  for (const [token] of text.matchAll(STRING_OR_NUMBER)) {
    if (token.charCodeAt(0) !== 34 && !fitsNumeric(token)) {
      return token.length > 24 ? `${token.slice(0, 12)}…(${token.length} characters)` : token;
    }
  }
  return undefined;
}
