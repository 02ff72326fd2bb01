import { filledTargetError } from './target-tables';

describe('filledTargetError (a target that already holds rows)', () => {
  it('says what --truncate deletes besides an earlier copy, and how to compare first', () => {
    const error = filledTargetError(['projects', 'tasks']);
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(
      'The target already holds rows (projects, tasks); nothing was written. Use --truncate to ' +
        'replace them, which also deletes whatever the app has written there since; db:verify ' +
        'says first whether they differ from the source.',
    );
  });
});
