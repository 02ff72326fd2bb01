/**
 * JSON.parse reads every number as a double: 12345678901234567890 and ...891 become the same
 * number, so checksums of parsed JSON cannot see a change in such digits (jsonb keeps them
 * exactly). Text that may hold such a number (a digit run of 16 or more, or an exponent) is
 * parsed with each number replaced by a marker string holding its canonical text; other text
 * (nearly all) takes the plain JSON.parse path.
 */
const MAY_LOSE_DIGITS = /\d{16}|\d[eE]/;

/** A JSON string or a JSON number, in that order: numbers inside strings stay strings. */
export const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** Starts a marker string. JSON with a NUL is refused by the copy, and jsonb cannot hold one. */
export const EXACT_NUMBER_MARK = '\u0000';

/** Sign, significant digits (no leading or trailing zeros) and exponent: `d × 10^exponent`. */
function decimalParts(token: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(token)!;
  const fraction = match[3] ?? '';
  let digits = (match[2] + fraction).replace(/^0+/, '');
  let exponent = BigInt(match[4] ?? 0) - BigInt(fraction.length);
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += BigInt(trailing);
  return digits ? `${match[1]}${digits}e${exponent}` : '0';
}

/**
 * The canonical text of a JSON number: JSON.stringify's when the double holds it exactly (so it
 * equals the plain path's), its exact decimal value otherwise.
 */
export function canonicalNumber(token: string): string {
  const double = Number(token);
  if (Number.isFinite(double)) {
    const printed = JSON.stringify(double);
    if (decimalParts(printed) === decimalParts(token)) return printed;
  }
  return `exact:${decimalParts(token)}`;
}

/** JSON.parse, except that numbers a double cannot hold exactly are kept (as marker strings). */
export function parseJsonExactly(text: string): unknown {
  if (!MAY_LOSE_DIGITS.test(text)) return JSON.parse(text);
  return JSON.parse(
    text.replace(STRING_OR_NUMBER, (token) =>
      token.charCodeAt(0) === 34 ? token : `"\\u0000${canonicalNumber(token)}"`,
    ),
  );
}
