/** Median, min and max of a sample. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], samples };
}

/** Runs `baseline` and `subject` in alternating rounds (after `warmup` unmeasured rounds each). */
export async function alternate(
  rounds: number,
  warmup: number,
  baseline: () => Promise<number>,
  subject: () => Promise<number>,
): Promise<{ baseline: Summary; subject: Summary }> {
  for (let i = 0; i < warmup; i++) {
    await baseline();
    await subject();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first so drift on a noisy machine hits both sides alike.
    if (i % 2 === 0) {
      a.push(await baseline());
      b.push(await subject());
    } else {
      b.push(await subject());
      a.push(await baseline());
    }
  }
  return { baseline: summarize(a), subject: summarize(b) };
}
