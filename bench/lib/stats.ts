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

/**
 * Runs each of `runs` once per round, in a rotating order (so drift on a noisy machine hits all
 * alike), after `warmup` unmeasured rounds; one summary per run.
 */
export async function rotate(
  rounds: number,
  warmup: number,
  runs: (() => Promise<number>)[],
): Promise<Summary[]> {
  for (let i = 0; i < warmup; i++) for (const run of runs) await run();
  const samples = runs.map((): number[] => []);
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < runs.length; j++) {
      const k = (i + j) % runs.length;
      samples[k].push(await runs[k]());
    }
  }
  return samples.map(summarize);
}
