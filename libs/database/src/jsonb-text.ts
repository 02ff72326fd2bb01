/**
 * An escaped NUL in JSON text: `\u0000` after an even number (0, 2, ...) of backslashes; after
 * an odd number it is an escaped backslash followed by the characters u0000. PostgreSQL's jsonb
 * refuses it and SQLite would store it, so the API and db:copy both refuse it with this.
 */
export const JSON_ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;

/**
 * A UTF-16 half without its other half (JSON.parse makes one of a lone `\ud83d` escape): neither
 * PostgreSQL's text nor its jsonb can hold one, so the API and db:copy both refuse it.
 */
export const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
