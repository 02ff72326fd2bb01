import { summarize, Summary } from './stats';

/** One row of the results table. */
export interface Figure {
  id: string;
  what: string;
  unit: string;
  baseline?: Summary;
  baselineName?: string;
  subject: Summary;
  /** subject / baseline: the median of the per-round ratios (see `pairedRatio`). */
  ratio?: number;
  target: string;
  /** true/false when the target could be evaluated; undefined when it only reports. */
  pass?: boolean;
  note?: string;
}

/**
 * subject / baseline as the median of the ratios of each round's pair (both ran in the same
 * round, minutes apart at most), so that a shared machine's drift between rounds, which moves
 * both sides of a pair alike, cancels; the ratio of the two medians when the rounds do not pair.
 */
export function pairedRatio(baseline: Summary, subject: Summary): number {
  const paired = baseline.samples.length > 0 && baseline.samples.length === subject.samples.length;
  if (!paired) return subject.median / baseline.median;
  return summarize(subject.samples.map((value, i) => value / baseline.samples[i])).median;
}

export function compare(
  fields: Omit<Figure, 'ratio' | 'pass'>,
  check?: (ratio: number, subject: Summary) => boolean,
): Figure {
  const ratio = fields.baseline ? pairedRatio(fields.baseline, fields.subject) : undefined;
  const pass = check ? check(ratio ?? fields.subject.median, fields.subject) : undefined;
  return { ...fields, ratio, pass };
}
