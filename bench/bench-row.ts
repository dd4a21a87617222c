/** One line of the benchmark table. `ratio` is against the machine's own limit measured in the same run. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  ratio?: number;
  goal?: string;
  note?: string;
}
