/**
 * Unicode case folding done in JavaScript, so that case-insensitive search and uniqueness
 * behave the same on SQLite (whose lower() folds ASCII only) and PostgreSQL (locale-bound).
 */
export function searchKey(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * Lower case writes Σ as ς (final sigma) at a word's end and as σ elsewhere, so a piece of a
 * word and the word fold it differently: "ΟΔΟΣ" to "οδος", "ΟΔΟΣΑ" to "οδοσα". Searches read
 * both as σ, as Unicode's case folding does (names stay unique by `searchKey` as it is).
 */
const FINAL_SIGMA = /\u03c2/g;

/**
 * The `:pattern` of a `searchCondition`: `text` anywhere, LIKE's wildcards escaped by `\`.
 */
export function containsPattern(text: string): string {
  const key = searchKey(text).replace(FINAL_SIGMA, '\u03c3');
  return `%${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The SQL condition of a search: the stored key `column`, ς as σ, LIKE `:pattern`. */
export function searchCondition(column: string): string {
  return `replace(${column}, '\u03c2', '\u03c3') LIKE :pattern ESCAPE '\\'`;
}
