// esbuild escapes non-ASCII characters in strings (its `charset: 'ascii'` default) but not in
// regular expression literals, and validator.js's locale regexes (class-validator) hold
// thousands. One such character makes V8 hold the whole bundle's source as a two-byte string:
// 9 MB instead of 4.7, for as long as the process runs, and a slower read at every start
// (BENCHMARKS.md, eleventh round). So the bundle is made ASCII-only here, with `\uXXXX` escapes
// where they keep the meaning: in regular expressions, strings, identifiers and comments.
import { tokenizer, tokTypes } from 'acorn';

const NON_ASCII = /[\u0080-\uffff]/;
const EACH_NON_ASCII = /[\u0080-\uffff]/g;

/** Token types whose value is the same with each UTF-16 unit written as a `\uXXXX` escape. */
const ESCAPABLE = new Set([tokTypes.regexp, tokTypes.string, tokTypes.name, tokTypes.privateId]);

function escapeNonAscii(text: string): string {
  return text.replace(
    EACH_NON_ASCII,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * `code` (a script) with every non-ASCII character escaped. Throws for one in a template
 * literal, where an escape would change the raw text a tag function (`String.raw`) reads.
 */
export function asciiOnly(code: string): string {
  if (!NON_ASCII.test(code)) return code;
  const ranges: [number, number][] = [];
  const onComment = (_block: boolean, text: string, start: number, end: number) => {
    if (NON_ASCII.test(text)) ranges.push([start, end]);
  };
  for (const token of tokenizer(code, { ecmaVersion: 'latest', onComment })) {
    const text = code.slice(token.start, token.end);
    if (!NON_ASCII.test(text)) continue;
    if (!ESCAPABLE.has(token.type)) {
      throw new Error(
        `non-ASCII text in a ${token.type.label} token at offset ${token.start}: ${text.slice(0, 80)}`,
      );
    }
    ranges.push([token.start, token.end]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += code.slice(at, start) + escapeNonAscii(code.slice(start, end));
    at = end;
  }
  return out + code.slice(at);
}
