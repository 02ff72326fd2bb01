import { compare, pairedRatio } from './figure';
import { summarize } from './stats';

describe('pairedRatio', () => {
  it('is the median of the per-round ratios, so drift between rounds cancels', () => {
    // The machine runs at a different speed each round; the subject is 90% of the baseline in
    // two rounds and hit by a one-off stall in the third. The medians' ratio would be 18 / 30.
    const baseline = summarize([50, 20, 30]);
    const subject = summarize([45, 18, 10]);
    expect(subject.median / baseline.median).toBeCloseTo(0.6);
    expect(pairedRatio(baseline, subject)).toBeCloseTo(0.9);
  });

  it('falls back to the ratio of the medians when the rounds do not pair', () => {
    expect(pairedRatio(summarize([100, 50, 200]), summarize([60, 90]))).toBeCloseTo(0.75);
  });
});

describe('compare', () => {
  it('checks the target against the paired ratio', () => {
    const figure = compare(
      {
        id: 'P0',
        what: 'x',
        unit: 'req/s',
        baseline: summarize([100, 50, 200]),
        subject: summarize([95, 45, 190]),
        target: '>= 90%',
      },
      (ratio) => ratio >= 0.9,
    );
    expect(figure.ratio).toBeCloseTo(0.95);
    expect(figure.pass).toBe(true);
  });
});
