/**
 * An escaped NUL in JSON text: `\u0000` after an even number (0, 2, ...) of backslashes; after
 * an odd number it is an escaped backslash followed by the characters u0000. PostgreSQL's jsonb
 * refuses it and SQLite would store it, so the API and db:copy both refuse it with this.
 */
export const JSON_ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;
