import { orderByFor } from './tasks.service';
import { SORTS } from './dto/list-tasks.query';

describe('orderByFor', () => {
  it('sorts ascending, ties by id ascending', () => {
    expect(orderByFor('priority', 'sqlite')).toEqual([
      ['t.priority', 'ASC'],
      ['t.id', 'ASC'],
    ]);
  });

  it('sorts descending with a leading -, ties by id descending', () => {
    expect(orderByFor('-title', 'sqlite')).toEqual([
      ['t.title', 'DESC'],
      ['t.id', 'DESC'],
    ]);
  });

  it('sorts titles by code point on PostgreSQL too, whatever the database collation', () => {
    expect(orderByFor('title', 'postgres')[0]).toEqual(['t.title COLLATE "C"', 'ASC']);
    expect(orderByFor('priority', 'postgres')[0]).toEqual(['t.priority', 'ASC']);
  });

  it('puts tasks without dueAt last in both directions', () => {
    for (const sort of ['dueAt', '-dueAt']) {
      expect(orderByFor(sort, 'postgres')[0]).toEqual([
        'CASE WHEN t.dueAt IS NULL THEN 1 ELSE 0 END',
        'ASC',
      ]);
    }
    expect(orderByFor('-dueAt', 'sqlite')[1]).toEqual(['t.dueAt', 'DESC']);
  });

  it('whitelists exactly four fields in both directions', () => {
    expect(SORTS).toEqual([
      'createdAt',
      '-createdAt',
      'dueAt',
      '-dueAt',
      'priority',
      '-priority',
      'title',
      '-title',
    ]);
  });
});
