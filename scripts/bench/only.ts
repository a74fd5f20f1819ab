// Runs some rows of `npm run bench` on their own, N times over, printing each run:
//   npx tsx scripts/bench/only.ts round-trips
//   npx tsx scripts/bench/only.ts delivery --runs 5 [--iterations 150]
//   npx tsx scripts/bench/only.ts memory
// For checking one target across consecutive runs on a noisy machine without the full bench.
import { ensureNextBuild, startNextServer } from "../lib/next-server";
import { benchDeliveryPath } from "./delivery-path";
import { startBenchStack } from "./stack";
import { benchRoundTrips, formatRoundTrips, roundTripSummaryRows } from "./round-trips";
import { formatSummary, type SummaryRow } from "./summary";
import type { BenchStack } from "./stack";

const [group = "", ...rest] = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = rest.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(rest[index + 1]);
};

async function main(): Promise<void> {
  console.log(`[bench] next build: ${await ensureNextBuild()}`);
  const stack = await startBenchStack();
  const adminToken = stack.env.ADMIN_TOKEN ?? "";
  try {
    if (group === "round-trips") {
      const report = await benchRoundTrips(stack.env, adminToken, stack.nullSinkUrl);
      console.log(formatSummary(roundTripSummaryRows(report)));
      console.log(formatRoundTrips(report));
      return;
    }
    if (group === "delivery") {
      await deliveryRuns(stack, adminToken, option("runs", 5), option("iterations", 150));
      return;
    }
    throw new Error(`unknown group ${JSON.stringify(group)}; use round-trips, delivery or memory (runs ${option("runs", 1)})`);
  } finally {
    await stack.close();
  }
}

/** The delivery-function rows, `runs` times on one warm server; each run printed, then the tally. */
async function deliveryRuns(stack: BenchStack, adminToken: string, runs: number, iterations: number): Promise<void> {
  const app = await startNextServer(stack.env, { appUrl: stack.nullSinkUrl });
  const met = new Map<string, boolean[]>();
  try {
    for (let run = 1; run <= runs; run += 1) {
      const { summary } = await benchDeliveryPath(app, stack.nullSinkUrl, adminToken, stack.nullSinkUrl, iterations, stack.database);
      console.log(`\nRun ${run} of ${runs} (${iterations} deliveries per kind):\n${formatSummary(summary)}`);
      for (const row of summary.filter((line: SummaryRow) => line.met !== null)) met.set(row.metric, [...(met.get(row.metric) ?? []), row.met === true]);
    }
  } finally {
    await app.close();
  }
  console.log("\nTarget ≤ raw + 5 ms, runs that met it:");
  for (const [metric, results] of met) console.log(`  ${metric}: ${results.filter(Boolean).length} of ${results.length} (${results.map((ok) => (ok ? "yes" : "NO")).join(", ")})`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("[bench] failed:", error);
    process.exit(1);
  },
);
