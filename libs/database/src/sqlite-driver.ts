import type BetterSqlite3 from 'better-sqlite3';

/**
 * The better-sqlite3 package for a Node version. 12.x (`better-sqlite3`) builds on Node's
 * ObjectWrap, whose destructor on Node >= 24.19 aborts the process (`Assertion failed: (env) !=
 * nullptr`) when the garbage collector frees a statement outside JavaScript, as it does while the
 * app idles; 13.x (`better-sqlite3-napi`, an npm alias) uses Node-API and does not, but needs
 * Node 22. So: 13.x from Node 22 on, 12.x on Node 20.
 */
export function sqliteDriverPackage(nodeVersion = process.versions.node): string {
  return Number(nodeVersion.split('.')[0]) >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3';
}

let driver: typeof BetterSqlite3 | undefined;

/**
 * better-sqlite3's Database class for this Node (see sqliteDriverPackage), loaded on first use:
 * the addon reads SQLITE_USE_URI as it loads. The API's and the CLI's only way to it.
 */
export function sqliteDriver(): typeof BetterSqlite3 {
  /* eslint-disable @typescript-eslint/no-require-imports -- one of two packages, by Node version */
  driver ??=
    sqliteDriverPackage() === 'better-sqlite3-napi'
      ? (require('better-sqlite3-napi') as typeof BetterSqlite3)
      : (require('better-sqlite3') as typeof BetterSqlite3);
  /* eslint-enable @typescript-eslint/no-require-imports */
  return driver;
}
