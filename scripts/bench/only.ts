// Runs some rows of `npm run bench` on their own, N times over, printing each run:
//   npx tsx scripts/bench/only.ts round-trips
//   npx tsx scripts/bench/only.ts delivery --runs 5 [--iterations 150]
//   npx tsx scripts/bench/only.ts memory
// For checking one target across consecutive runs on a noisy machine without the full bench.
import { ensureNextBuild } from "../lib/next-server";
import { startBenchStack } from "./stack";
import { benchRoundTrips, formatRoundTrips, roundTripSummaryRows } from "./round-trips";
import { formatSummary } from "./summary";

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
    throw new Error(`unknown group ${JSON.stringify(group)}; use round-trips, delivery or memory (runs ${option("runs", 1)})`);
  } finally {
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("[bench] failed:", error);
    process.exit(1);
  },
);
