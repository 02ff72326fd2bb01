import { orderByFor } from './tasks.service';
import { SORTS } from './dto/list-tasks.query';

describe('orderByFor', () => {
  it('sorts ascending, ties by id ascending', () => {
    expect(orderByFor('priority')).toEqual([
      ['t.priority', 'ASC'],
      ['t.id', 'ASC'],
    ]);
  });

  it('sorts descending with a leading -, ties by id descending', () => {
    expect(orderByFor('-title')).toEqual([
      ['t.title', 'DESC'],
      ['t.id', 'DESC'],
    ]);
  });

  it('puts tasks without dueAt last in both directions', () => {
    for (const sort of ['dueAt', '-dueAt']) {
      expect(orderByFor(sort)[0]).toEqual(['CASE WHEN t.dueAt IS NULL THEN 1 ELSE 0 END', 'ASC']);
    }
    expect(orderByFor('-dueAt')[1]).toEqual(['t.dueAt', 'DESC']);
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
