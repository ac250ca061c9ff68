// Benchmarks report their figures through this one function (`@octo/devnet/bench`); scripts/bench.ts collects them
// into bench/results.json.
import { appendFileSync } from "node:fs";

export type BenchFigures = Record<string, number>;

/** Records figures under their dotted keys (e.g. `prove.single2kbMs`). Outside `pnpm bench` it only prints them. */
export function recordBench(figures: BenchFigures): void {
  for (const [key, value] of Object.entries(figures)) console.log(`bench ${key} = ${value}`);
  const out = process.env.OCTO_BENCH_OUT;
  if (out) appendFileSync(out, JSON.stringify(figures) + "\n");
}

/** Median of a non-empty sample; benchmarks report medians because the machine is shared and noisy. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of an empty sample");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
