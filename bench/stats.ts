export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The value below which `p` (0..1) of the samples fall. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/**
 * Runs each measure once per round, in turn, and gives each one's median: a change in the
 * machine's load during the run then weighs on every side alike.
 */
export async function interleavedMedians<K extends string>(
  rounds: number,
  measures: Record<K, () => number | Promise<number>>,
): Promise<Record<K, number>> {
  const samples = {} as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const [name, measure] of Object.entries(measures) as [K, () => number][]) {
      samples[name] ??= [];
      samples[name].push(await measure());
    }
  }
  const medians = {} as Record<K, number>;
  for (const [name, values] of Object.entries(samples) as [K, number[]][]) {
    medians[name] = median(values);
  }
  return medians;
}
