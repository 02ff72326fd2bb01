import { sqliteDriver, sqliteDriverPackage } from './sqlite-driver';

describe('sqliteDriverPackage', () => {
  it('takes better-sqlite3 13 (Node-API) from Node 22 on, and 12 on Node 20', () => {
    expect(sqliteDriverPackage('20.19.0')).toBe('better-sqlite3');
    expect(sqliteDriverPackage('22.0.0')).toBe('better-sqlite3-napi');
    expect(sqliteDriverPackage('24.21.0')).toBe('better-sqlite3-napi');
  });
});

describe('sqliteDriver', () => {
  it('is the package for this Node, and opens a database', () => {
    const Database = sqliteDriver();
    expect(Database).toBe(require(sqliteDriverPackage()));
    const db = new Database(':memory:');
    expect(db.prepare('select 1 as one').get()).toEqual({ one: 1 });
    db.close();
  });
});
