// Sampling and summarising for the benchmarks: warm-up, sorted samples, percentiles, the table.
import type { BenchRow } from "./types";

export function percentile(sortedMs: readonly number[], fraction: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? Number.NaN;
}

/** Runs `once` `iterations` times after `warmup` unmeasured runs; returns sorted durations in ms. */
export async function sample(iterations: number, once: () => Promise<void>, warmup = 3): Promise<number[]> {
  for (let index = 0; index < warmup; index += 1) await once();
  const durations: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    const started = performance.now();
    await once();
    durations.push(performance.now() - started);
  }
  return durations.sort((a, b) => a - b);
}

/** Alternates `measured` and `baseline` run by run, so drift (GC, broker load) hits both alike. */
export async function samplePair(iterations: number, measured: () => Promise<void>, baseline: () => Promise<void>, warmup = 3): Promise<[number[], number[]]> {
  const [first = [], second = []] = await sampleAlternating(iterations, [measured, baseline], warmup);
  return [first, second];
}

/** Runs each of `runs` in turn, round after round; returns each one's sorted durations in ms. */
export async function sampleAlternating(iterations: number, runs: ReadonlyArray<() => Promise<void>>, warmup = 3): Promise<number[][]> {
  const timesOf = runs.map((): number[] => []);
  for (let index = 0; index < warmup + iterations; index += 1) {
    for (const [slot, run] of runs.entries()) {
      const started = performance.now();
      await run();
      if (index >= warmup) timesOf[slot]?.push(performance.now() - started);
    }
  }
  return timesOf.map((times) => times.sort((a, b) => a - b));
}

export function benchRow(name: string, transport: string, measured: readonly number[], baseline: readonly number[] | null): BenchRow {
  const round = (value: number) => Math.round(value * 100) / 100;
  const median = percentile(measured, 0.5);
  const baselineMedian = baseline ? percentile(baseline, 0.5) : null;
  return {
    name,
    transport,
    median: round(median),
    p95: round(percentile(measured, 0.95)),
    baselineMedian: baselineMedian === null ? null : round(baselineMedian),
    ratio: baselineMedian ? round(median / baselineMedian) : null,
  };
}

export function formatBenchTable(rows: readonly BenchRow[]): string {
  const header = ["name", "transport", "median ms", "p95 ms", "baseline median ms", "ratio"];
  const cells = rows.map((row) => [row.name, row.transport, row.median.toFixed(2), row.p95.toFixed(2), row.baselineMedian?.toFixed(2) ?? "-", row.ratio?.toFixed(2) ?? "-"]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => (line[column] ?? "").length)));
  const line = (values: string[]) => values.map((value, column) => value.padEnd(widths[column] ?? 0)).join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n");
}
