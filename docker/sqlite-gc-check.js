/* global setInterval, clearInterval */
// Build-time check (docker/Dockerfile): statements left to the garbage collector while the
// process idles must not abort it. better-sqlite3 12 on Node >= 24.19 does (SIGABRT, "Assertion
// failed: (env) != nullptr" in Statement::~Statement); the app's sqliteDriver() takes 13 there.
const { sqliteDriver, sqliteDriverPackage } = require('../dist/libs/database/src/sqlite-driver');

const Database = sqliteDriver();
const db = new Database(':memory:');
db.exec('create table t (id integer primary key, v text)');
let rounds = 0;
const timer = setInterval(() => {
  for (let i = 0; i < 2000; i++) db.prepare(`insert into t (v) values ('${rounds}-${i}')`).run();
  if (++rounds < 20) return;
  clearInterval(timer);
  setTimeout(() => {
    const { n } = db.prepare('select count(*) as n from t').get();
    db.close();
    console.log(`${sqliteDriverPackage()}: ${n} rows; no abort while statements were collected`);
  }, 3000);
}, 50);
