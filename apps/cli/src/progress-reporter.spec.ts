import { fakeTerminal } from '../test/fake-terminal';
import { createReporter } from './progress-reporter';

/** The bar lines as the terminal shows them: control sequences out, one entry per line. */
function drawnLines(output: string): string[] {
  return output
    .split('\x1b')
    .map((part) => part.replace(/^(\[[0-9;?]*[A-Za-z]|[78])/, ''))
    .flatMap((part) => part.split(/[\r\n]+/))
    .filter((line) => /^(task_tags|projects) /.test(line));
}

/** Two bars, one half-way through a large table, as drawn on a terminal `columns` wide. */
function draw(columns: number): string[] {
  const terminal = fakeTerminal(columns);
  const reporter = createReporter('tty', terminal);
  try {
    reporter.tableStart?.('task_tags', 1_234_567);
    jest.advanceTimersByTime(1000);
    reporter.tableProgress?.('task_tags', 617_000);
    reporter.tableStart?.('projects', 1);
    reporter.tableDone?.('projects', 1, 5);
  } finally {
    reporter.stop();
  }
  return drawnLines(terminal.output());
}

describe('createReporter (tty)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fits each line, bar and ETA, in an 80-column terminal', () => {
    const lines = draw(80);
    const halfWay =
      /^task_tags {2}\[█{8,}░{8,}\] {2}617000\/1234567 rows \| 617000 rows\/s \| ETA \d+s$/;
    expect(lines).toContainEqual(expect.stringMatching(halfWay));
    const oneRow = /^projects {3}\[█{10,}\] 1\/1 row \| 200 rows\/s \| ETA 0s$/;
    expect(lines).toContainEqual(expect.stringMatching(oneRow));
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(80);
      expect(line).toMatch(/\[[█░]{10,}\] .* \| ETA \d+s$/);
    }
  });

  it('drops the bar rather than the numbers when there is no room for it', () => {
    const lines = draw(60);
    const halfWay = /^task_tags {3}617000\/1234567 rows \| 617000 rows\/s \| ETA \d+s$/;
    expect(lines).toContainEqual(expect.stringMatching(halfWay));
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(60);
      expect(line).toMatch(/ \d+\/\d+ rows? \| \d+ rows\/s \| ETA \d+s$/);
    }
  });

  it('keeps the bar 40 characters wide on a wide terminal', () => {
    for (const line of draw(200)) expect(line).toMatch(/\[[█░]{40}\] .* \| ETA \d+s$/);
  });
});
