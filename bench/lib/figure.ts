import { Summary } from './stats';

/** One row of the results table. */
export interface Figure {
  id: string;
  what: string;
  unit: string;
  baseline?: Summary;
  baselineName?: string;
  subject: Summary;
  /** subject median / baseline median (or the value itself when there is no baseline). */
  ratio?: number;
  target: string;
  /** true/false when the target could be evaluated; undefined when it only reports. */
  pass?: boolean;
  note?: string;
}

export function compare(
  fields: Omit<Figure, 'ratio' | 'pass'>,
  check?: (ratio: number, subject: Summary) => boolean,
): Figure {
  const ratio = fields.baseline ? fields.subject.median / fields.baseline.median : undefined;
  const pass = check ? check(ratio ?? fields.subject.median, fields.subject) : undefined;
  return { ...fields, ratio, pass };
}
