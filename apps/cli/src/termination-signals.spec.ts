import { fakeTerminal } from '../test/fake-terminal';
import { createReporter } from './progress-reporter';
import {
  interruptedMessage,
  onTerminationSignal,
  verifyInterruptedMessage,
} from './termination-signals';

describe('onTerminationSignal', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('on %s restores the terminal, then exits %i', (signal, code) => {
    const terminal = fakeTerminal();
    const reporter = createReporter('tty', terminal);
    reporter.tableStart?.('tasks', 1000);
    reporter.tableProgress?.('tasks', 10);
    expect(terminal.output()).toContain('\x1b[?25l'); // cursor hidden
    expect(terminal.output()).toContain('\x1b[?7l'); // line wrapping off
    const exit = jest.fn();
    const before = process.listenerCount(signal);
    const dispose = onTerminationSignal(() => reporter.stop(), exit);
    try {
      process.emit(signal);
      expect(exit).toHaveBeenCalledWith(code);
      const after = terminal.output().slice(terminal.output().lastIndexOf('\x1b[?7l'));
      expect(after).toContain('\x1b[?25h'); // cursor shown
      expect(after).toContain('\x1b[?7h'); // line wrapping on
    } finally {
      dispose();
      reporter.stop();
    }
    expect(process.listenerCount(signal)).toBe(before);
  });
});

describe('interruptedMessage', () => {
  it.each([
    ['checking', { name: 'checking' }, /before the copy: nothing was written to the target\.$/],
    ['migrating', { name: 'migrating' }, /migrations that finished stay .*no rows were copied/],
    [
      'copying',
      { name: 'copying', migrationsApplied: [] },
      /: rolled back, the target is unchanged\.$/,
    ],
    [
      'copying after migrating',
      { name: 'copying', migrationsApplied: ['A1', 'B2'] },
      /: rolled back, the target holds no rows of this copy; the migrations .* stay \(A1, B2\)/,
    ],
    ['committing', { name: 'committing' }, /may or may not be committed; run db:verify/],
    [
      'verifying',
      { name: 'verifying' },
      /after the commit, .*the copy is committed .*run db:verify/,
    ],
  ] as const)('says what the target holds when interrupted %s', (_, stage, message) => {
    expect(interruptedMessage('SIGINT', stage)).toMatch(/^Interrupted \(SIGINT\)/);
    expect(interruptedMessage('SIGINT', stage)).toMatch(message);
  });
});

describe('verifyInterruptedMessage', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('says %s left everything as it was', (signal) => {
    expect(verifyInterruptedMessage(signal)).toBe(
      `Interrupted (${signal}): the verification did not finish; nothing was changed ` +
        '(db:verify only reads).',
    );
  });
});
