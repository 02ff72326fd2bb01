// Imported first by main.ts: better-sqlite3 reads SQLITE_USE_URI once, when its native addon
// loads (at the first `new Database`). URI filenames let the copier fall back to
// `file:…?immutable=1` for a WAL-mode source on a read-only mount (see openSource).
process.env.SQLITE_USE_URI ??= '1';
