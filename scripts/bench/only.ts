// Runs some rows of `npm run bench` on their own, N times over, printing each run:
//   npx tsx scripts/bench/only.ts round-trips
//   npx tsx scripts/bench/only.ts delivery --runs 5 [--iterations 150]
//   npx tsx scripts/bench/only.ts memory [--iterations 150] [--node-flags "--max-semi-space-size=4"]
//   npx tsx scripts/bench/only.ts peer --runs 3 [--iterations 30 --seconds 5]
//   npx tsx scripts/bench/only.ts cold-start --runs 3 [--starts 3]
// For checking one target across consecutive runs on a noisy machine without the full bench.
import { ensureNextBuild, startNextServer } from "../lib/next-server";
import { benchColdStart, coldStartSummaryRows } from "./cold-start";
import { benchDeliveryPath } from "./delivery-path";
import { benchEndToEnd } from "./end-to-end";
import { inspectorEnv, measureMemory, memorySummaryRows } from "./memory";
import { startPeer } from "./peer/peer";
import { startBenchStack } from "./stack";
import { benchRoundTrips, formatRoundTrips, roundTripSummaryRows } from "./round-trips";
import { formatSummary, type SummaryRow } from "./summary";
import type { BenchStack } from "./stack";
import { benchTriggerAck } from "./trigger-ack";

const [group = "", ...rest] = process.argv.slice(2);
const text = (name: string): string | undefined => {
  const index = rest.indexOf(`--${name}`);
  return index === -1 ? undefined : rest[index + 1];
};
const option = (name: string, fallback: number) => Number(text(name) ?? fallback);

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
    if (group === "peer" || group === "cold-start") {
      await issue18Runs(stack, adminToken, group, option("runs", 1));
      return;
    }
    if (group === "memory") {
      await memoryAfterEndToEnd(stack, adminToken, option("iterations", 150), text("node-flags") ?? "");
      return;
    }
    throw new Error(`unknown group ${JSON.stringify(group)}; use round-trips, delivery, memory, peer or cold-start (runs ${option("runs", 1)})`);
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

/**
 * Switchyard against the BullMQ peer (throughput with the minimal and bare baselines, fan-out,
 * end to end) or the cold starts and traced files, `runs` times on one warm server, each run
 * printed: the quick sizes of `npm run bench -- --quick` unless given.
 */
async function issue18Runs(stack: BenchStack, adminToken: string, which: "peer" | "cold-start", runs: number): Promise<void> {
  const peer = await startPeer(stack.env.DATABASE_URL ?? "");
  const app = await startNextServer({ ...stack.env, BENCH_MINIMAL_ROUTE: "true" });
  try {
    for (let run = 1; run <= runs; run += 1) {
      const rows: SummaryRow[] = [];
      if (which === "peer") {
        rows.push(...(await stack.withDeliveriesHeld(() => benchTriggerAck(app, stack.env, stack.nullSinkUrl, option("seconds", 5), peer))).summary);
        rows.push(...(await benchEndToEnd(app, adminToken, option("iterations", 30), { peer, env: stack.env })).summary);
      } else {
        rows.push(...coldStartSummaryRows(await stack.withDeliveriesHeld(() => benchColdStart(app, stack.env, adminToken, option("starts", 3)))));
      }
      console.log(`\nRun ${run} of ${runs} (${new Date().toISOString()}):\n${formatSummary(rows)}`);
    }
  } finally {
    await app.close();
    await peer.close();
  }
}

/** The end-to-end run (with the BullMQ peer alternating, as in the full bench), then the memory rows. */
async function memoryAfterEndToEnd(stack: BenchStack, adminToken: string, iterations: number, nodeFlags: string): Promise<void> {
  const peer = await startPeer(stack.env.DATABASE_URL ?? "");
  const app = await startNextServer({ ...stack.env, ...inspectorEnv(nodeFlags) });
  try {
    const endToEnd = await benchEndToEnd(app, adminToken, iterations, { peer, env: stack.env });
    const report = await measureMemory(app, nodeFlags);
    console.log(formatSummary([...endToEnd.summary, ...memorySummaryRows(report, `the end-to-end run (${iterations} triggers)`)]));
  } finally {
    await app.close();
    await peer.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("[bench] failed:", error);
    process.exit(1);
  },
);
