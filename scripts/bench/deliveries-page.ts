// npm run bench:deliveries-page — the delivery log's keyset pages against an OFFSET baseline on
// 1,000,000 deliveries in a throwaway PostgreSQL database (local server at 127.0.0.1:5432,
// reached through the Neon driver and scripts/ws-proxy exactly like the app and the tests).
import { performance } from "node:perf_hooks";
import { isMainModule } from "../lib/cli";
import { sql } from "kysely";
import type { Database } from "@/lib/db";
import { listDeliveries, type DeliveryQuery } from "@/lib/deliveries/list-deliveries";
import { withBenchDatabase } from "./bench-database";
import { seedDeliveries } from "./seed-deliveries";

export interface BenchOptions {
  rows?: number;
  deepOffset?: number;
  runs?: number;
  pageSize?: number;
  serverUrl?: string;
}

export interface BenchCase {
  name: string;
  keysetMs: number;
  offsetMs: number;
  ratio: number;
}

export interface BenchResult {
  rows: number;
  seedMs: number;
  cases: BenchCase[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function timeMedian(runs: number, run: () => Promise<unknown>): Promise<number> {
  for (let warm = 0; warm < 2; warm += 1) await run();
  const samples: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** The page an OFFSET-paginated log would read: same filter, same order, skipping `offset` rows. */
async function offsetPage(db: Database, limit: number, offset: number, callbackId?: string): Promise<string[]> {
  let query = db.selectFrom("deliveries").selectAll();
  if (callbackId) query = query.where("callback_id", "=", callbackId);
  const rows = await query.orderBy("id", "desc").limit(limit).offset(offset).execute();
  return rows.map((row) => row.id);
}

async function cursorAt(db: Database, offset: number, callbackId?: string): Promise<string | undefined> {
  if (offset === 0) return undefined;
  const ids = await offsetPage(db, 1, offset - 1, callbackId);
  return ids[0];
}

async function measureCase(db: Database, name: string, options: { offset: number; callbackId?: string; runs: number; pageSize: number }): Promise<BenchCase> {
  const cursor = await cursorAt(db, options.offset, options.callbackId);
  const query: DeliveryQuery = { limit: options.pageSize, cursor, callbackId: options.callbackId };
  const keysetIds = (await listDeliveries(db, query)).items.map((item) => item.id);
  const offsetIds = await offsetPage(db, options.pageSize, options.offset, options.callbackId);
  if (keysetIds.join() !== offsetIds.join()) throw new Error(`${name}: keyset and OFFSET pages differ`);
  const keysetMs = await timeMedian(options.runs, () => listDeliveries(db, query));
  const offsetMs = await timeMedian(options.runs, () => offsetPage(db, options.pageSize, options.offset, options.callbackId));
  return { name, keysetMs, offsetMs, ratio: offsetMs / keysetMs };
}

export async function benchDeliveriesPage(options: BenchOptions = {}): Promise<BenchResult> {
  const rows = options.rows ?? 1_000_000;
  const deepOffset = options.deepOffset ?? Math.floor(rows / 2);
  const runs = options.runs ?? 15;
  const pageSize = options.pageSize ?? 50;
  const server = options.serverUrl ?? "postgres://postgres@127.0.0.1:5432";
  return withBenchDatabase(`switchyard_bench_${process.pid}`, server, async (db) => {
    const seedStarted = performance.now();
    await seedDeliveries(db, rows);
    const seedMs = performance.now() - seedStarted;
    const callbackId = (await sql<{ id: string }>`select callback_id as id from deliveries limit 1`.execute(db)).rows[0]?.id;
    const cases = [
      await measureCase(db, "first page", { offset: 0, runs, pageSize }),
      await measureCase(db, `deep page (${deepOffset.toLocaleString("en")} rows in)`, { offset: deepOffset, runs, pageSize }),
      await measureCase(db, "one callback, first page", { offset: 0, callbackId, runs, pageSize }),
      await measureCase(db, `one callback, deep page (${Math.floor(deepOffset / 10).toLocaleString("en")} rows in)`, {
        offset: Math.floor(deepOffset / 10),
        callbackId,
        runs,
        pageSize,
      }),
    ];
    return { rows, seedMs, cases };
  });
}

function printResult(result: BenchResult): void {
  console.log(`deliveries: ${result.rows.toLocaleString("en")} rows, seeded in ${(result.seedMs / 1000).toFixed(1)} s`);
  console.log("PostgreSQL via @neondatabase/serverless + local WebSocket proxy; median of 15 runs after 2 warm-ups; page size 50");
  console.log(["case".padEnd(42), "keyset ms".padStart(10), "OFFSET ms".padStart(10), "OFFSET/keyset".padStart(14)].join(""));
  for (const item of result.cases) {
    console.log([item.name.padEnd(42), item.keysetMs.toFixed(2).padStart(10), item.offsetMs.toFixed(2).padStart(10), `${item.ratio.toFixed(1)}×`.padStart(14)].join(""));
  }
}

if (isMainModule(import.meta.url)) {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  benchDeliveriesPage({ rows }).then(printResult, (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
