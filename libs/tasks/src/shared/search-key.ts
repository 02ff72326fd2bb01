/**
 * Unicode case folding done in JavaScript, so that case-insensitive search and uniqueness
 * behave the same on SQLite (whose lower() folds ASCII only) and PostgreSQL (locale-bound).
 */
export function searchKey(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped by `\`. */
export function containsPattern(text: string): string {
  return `%${searchKey(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
