// npm run bench (f) — search over the delivery log with the filter language at 1,000,000 events:
// an equality on a body field within the last 24 h, against the plain unfiltered first page, in a
// throwaway PostgreSQL database reached through the Neon driver and scripts/ws-proxy like the app.
// Prints EXPLAIN's plan nodes so the GIN index (events_body_json_idx) use is visible.
import { performance } from "node:perf_hooks";
import { isMainModule } from "../lib/cli";
import { sql } from "kysely";
import type { Database } from "@/lib/db";
import { planWithoutParallelWorkers, searchCandidatesQuery } from "@/lib/db/queries/deliveries-search";
import { listDeliveries, type DeliveryQuery } from "@/lib/deliveries/list-deliveries";
import { searchCondition } from "@/lib/deliveries/search-conditions";
import { uuidv7Floor } from "@/lib/ids";
import { withBenchDatabase } from "./bench-database";
import { seedSearchEvents, searchSeedShape } from "./search-seed";
import { ms, type SummaryRow } from "./summary";

export interface SearchCase {
  name: string;
  p50: number;
  p95: number;
  /** Rows the measured page returned (the last run). */
  items: number;
  plan: string[];
}

export interface SearchBenchResult {
  rows: number;
  runs: number;
  seedMs: number;
  baseline: SearchCase;
  cases: SearchCase[];
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

async function timeQueries(queries: DeliveryQuery[], db: Database): Promise<{ p50: number; p95: number; items: number }> {
  for (const query of queries.slice(0, 2)) await listDeliveries(db, query);
  const samples: number[] = [];
  let items = 0;
  for (const query of queries) {
    const started = performance.now();
    items = (await listDeliveries(db, query)).items.length;
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), items };
}

function planNodes(plan: unknown, into: string[] = []): string[] {
  if (typeof plan !== "object" || plan === null) return into;
  const node = plan as { "Node Type"?: string; "Index Name"?: string; "Scan Direction"?: string; Plans?: unknown[] };
  const type = node["Scan Direction"] === "Backward" ? `${node["Node Type"] ?? ""} Backward` : node["Node Type"];
  if (type) into.push(node["Index Name"] ? `${type} (${node["Index Name"]})` : type);
  for (const child of node.Plans ?? []) planNodes(child, into);
  return into;
}

/** The plan of the first candidate batch a search page runs. */
async function explainSearch(db: Database, query: DeliveryQuery): Promise<string[]> {
  if (!query.filter) return [];
  const from = uuidv7Floor(new Date(Date.now() - 86_400_000));
  const condition = searchCondition(query.filter);
  // Planned as the app plans it: inside the search's transaction, without parallel workers.
  const rows = await db.transaction().execute(async (trx) => {
    await planWithoutParallelWorkers(trx);
    return searchCandidatesQuery(trx, { fromId: from, condition, ascending: false, limit: query.limit + 1 }).explain<{ "QUERY PLAN": Array<{ Plan: unknown }> }>("json");
  });
  return planNodes(rows[0]?.["QUERY PLAN"][0]?.Plan);
}

async function measure(db: Database, name: string, queries: DeliveryQuery[]): Promise<SearchCase> {
  const timing = await timeQueries(queries, db);
  const plan = await explainSearch(db, queries[0] ?? { limit: 50 });
  return { name, ...timing, plan };
}

export async function benchSearchDeliveries(options: { rows?: number; runs?: number; serverUrl?: string } = {}): Promise<SearchBenchResult> {
  const rows = options.rows ?? 1_000_000;
  const runs = Math.max(20, options.runs ?? 25);
  const server = options.serverUrl ?? "postgres://postgres@127.0.0.1:5432";
  return withBenchDatabase(`switchyard_search_bench_${process.pid}`, server, async (db) => {
    const seedStarted = performance.now();
    await seedSearchEvents(db, rows);
    const seedMs = performance.now() - seedStarted;
    const indexCheck = await sql<{ count: string }>`select count(*) from events`.execute(db);
    if (Number(indexCheck.rows[0]?.count) !== rows) throw new Error("search bench: the seed did not write every event");
    const limit = 50;
    const each = (filterOf: (run: number) => DeliveryQuery["filter"]) => Array.from({ length: runs }, (_, run) => ({ limit, filter: filterOf(run) }));
    const baseline = await measure(
      db,
      "unfiltered first page",
      Array.from({ length: runs }, () => ({ limit })),
    );
    const cases = [
      await measure(
        db,
        `body.customer.id equality (1 in ${searchSeedShape.customers.toLocaleString("en")})`,
        each((run) => ({ body: { customer: { id: `c${(run * 379) % searchSeedShape.customers}` } } })),
      ),
      await measure(
        db,
        `body.type equality (1 in ${searchSeedShape.types})`,
        each((run) => ({ body: { type: `type.${run % searchSeedShape.types}` } })),
      ),
    ];
    return { rows, runs, seedMs, baseline, cases };
  });
}

export function formatSearchBench(result: SearchBenchResult): string {
  const lines = [
    `search: ${result.rows.toLocaleString("en")} events (+1 delivery each) over ${searchSeedShape.days} days, seeded in ${(result.seedMs / 1000).toFixed(1)} s; ` +
      `default window: the last 24 h; page size 50; p50/p95 over ${result.runs} queries each (after 2 warm-ups)`,
  ];
  for (const item of [result.baseline, ...result.cases]) {
    lines.push(`  ${item.name.padEnd(44)} p50 ${item.p50.toFixed(2).padStart(7)} ms  p95 ${item.p95.toFixed(2).padStart(7)} ms  rows ${item.items}`);
    if (item.plan.length > 0) lines.push(`    plan: ${item.plan.join(" → ")}`);
  }
  return lines.join("\n");
}

/** The headline rows: each body-field equality against the unfiltered first page, target p50 < 100 ms. */
export function searchSummaryRows(result: SearchBenchResult): SummaryRow[] {
  return result.cases.map((item) => ({
    metric: `search, ${item.name}, last 24 h, ${result.rows.toLocaleString("en")} events`,
    measured: `p50 ${ms(item.p50)} (p95 ${ms(item.p95)})`,
    baseline: `unfiltered page ${ms(result.baseline.p50)}`,
    comparison: `${(item.p50 / result.baseline.p50).toFixed(1)}×`,
    target: "p50 < 100 ms",
    met: item.p50 < 100,
  }));
}

if (isMainModule(import.meta.url)) {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  benchSearchDeliveries({ rows }).then(
    (result) => console.log(formatSearchBench(result)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
