// Issue #18 item 3: the network round trips each trigger variant makes before its 202, and after
// it, counted from outside — a `next start` pointed at counting proxies in front of the Redis
// bridge, the local QStash server and PostgreSQL — and the delivery function's, for comparison.
import { startNextServer, type NextServer } from "../lib/next-server";
import { createExchangeLog, sequentialDepth, startCountingHttpProxy, startCountingPostgresProxy, type Exchange, type ExchangeLog, type Service } from "./round-trip-counter";
import { deliverOnce, jobFor, signJobs } from "./delivery-path";
import type { SummaryRow } from "./summary";
import { createBenchCallback } from "./bench-callback";

interface Variant {
  name: string;
  callback: { name: string; [field: string]: unknown };
  headers?: () => Record<string, string>;
  body?: string;
  /** The most round trips before the answer this variant may make, when it has a target. */
  target?: { redis: number; qstash: number; db: number };
}

export interface RoundTripRow {
  variant: string;
  before: Record<Service, number>;
  /** Round trips made one after another before the answer, all services together. */
  sequentialBefore: number;
  after: Record<Service, number>;
  /** e.g. ["redis mget", "redis evalsha", "qstash POST /v2/batch"]. */
  beforeLabels: string[];
  afterLabels: string[];
  target: Variant["target"] | null;
  met: boolean | null;
}

const nothing = (): Record<Service, number> => ({ redis: 0, qstash: 0, db: 0 });

function countsOf(exchanges: readonly Exchange[]): Record<Service, number> {
  const counts = nothing();
  for (const exchange of exchanges) counts[exchange.service] += 1;
  return counts;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** Runs `call` once with the log cleared; sorts what it saw into before and after its answer. */
async function measure(log: ExchangeLog, call: () => Promise<void>): Promise<{ before: Exchange[]; after: Exchange[] }> {
  // What earlier calls do after their answers must not count here.
  await settle();
  log.reset();
  await call();
  const answeredAt = performance.now();
  // What runs after the answer (the idempotency record) has this long to show up.
  await settle();
  const seen = [...log.exchanges];
  return { before: seen.filter((exchange) => exchange.startedAt < answeredAt), after: seen.filter((exchange) => exchange.startedAt >= answeredAt) };
}

function rowOf(variant: Variant, seen: { before: Exchange[]; after: Exchange[] }): RoundTripRow {
  const before = countsOf(seen.before);
  const label = (exchange: Exchange) => `${exchange.service} ${exchange.label}`;
  const { target } = variant;
  return {
    variant: variant.name,
    before,
    sequentialBefore: sequentialDepth(seen.before),
    after: countsOf(seen.after),
    beforeLabels: seen.before.map(label),
    afterLabels: seen.after.map(label),
    target: target ?? null,
    met: target ? before.redis <= target.redis && before.qstash <= target.qstash && before.db <= target.db : null,
  };
}

const body = JSON.stringify({ type: "order.created", amount: 42 });
let keyCounter = 0;
const freshKey = () => ({ "idempotency-key": `bench-rt-${process.pid}-${(keyCounter += 1)}` });

function variants(sinkUrl: string): Variant[] {
  const destination = (filter?: Record<string, unknown>) => ({ kind: "http", name: "sink", config: { url: `${sinkUrl}/rt` }, ...(filter ? { filter } : {}) });
  const oneRedisOneQstash = { redis: 1, qstash: 1, db: 0 };
  return [
    { name: "plain", callback: { name: "rt-plain", destinations: [destination()] }, target: oneRedisOneQstash },
    { name: "idempotency key", callback: { name: "rt-idem", destinations: [destination()] }, headers: freshKey, target: { redis: 2, qstash: 1, db: 0 } },
    { name: "rate-limited", callback: { name: "rt-limit", rateLimitPerMinute: 1_000_000, destinations: [destination()] }, target: { redis: 2, qstash: 1, db: 0 } },
    {
      name: "idempotency key + rate-limited",
      callback: { name: "rt-both", rateLimitPerMinute: 1_000_000, destinations: [destination()] },
      headers: freshKey,
      target: { redis: 2, qstash: 1, db: 0 },
    },
    { name: "filter, matching", callback: { name: "rt-filter", destinations: [destination({ body: { type: ["order.created"] } })] }, target: oneRedisOneQstash },
    // Nobody will deliver, so the trigger writes the event itself.
    { name: "filter, matching none", callback: { name: "rt-filter-none", destinations: [destination({ body: { type: ["order.deleted"] } })] }, target: { redis: 1, qstash: 0, db: 1 } },
  ];
}

async function fire(app: NextServer, token: string, variant: Variant): Promise<void> {
  const response = await fetch(`${app.url}/api/trigger/${token}`, { method: "POST", body: variant.body ?? body, headers: { "content-type": "application/json", ...variant.headers?.() } });
  await response.arrayBuffer();
  if (response.status !== 202) throw new Error(`${variant.name}: trigger answered ${response.status}`);
}

export interface RoundTripReport {
  rows: RoundTripRow[];
}

/** `env` is the bench stack's; `sinkUrl` answers 200 to everything (deliveries and destinations). */
export async function benchRoundTrips(env: Record<string, string>, adminToken: string, sinkUrl: string): Promise<RoundTripReport> {
  const log = createExchangeLog();
  const redis = await startCountingHttpProxy("redis", env.UPSTASH_REDIS_REST_URL ?? "", log);
  const qstash = await startCountingHttpProxy("qstash", env.QSTASH_URL ?? "", log);
  const postgres = await startCountingPostgresProxy(5432, log);
  const databaseUrl = (env.DATABASE_URL ?? "").replace("127.0.0.1:5432", `127.0.0.1:${postgres.port}`);
  const app = await startNextServer({ ...env, UPSTASH_REDIS_REST_URL: redis.url, QSTASH_URL: qstash.url, DATABASE_URL: databaseUrl }, { appUrl: sinkUrl });
  try {
    const rows: RoundTripRow[] = [];
    let deliveryTarget: { callbackId: string; destinationId: string } | undefined;
    for (const variant of variants(sinkUrl)) {
      const created = await createBenchCallback(app, adminToken, variant.callback);
      deliveryTarget ??= { callbackId: created.id, destinationId: created.destinations[0]?.id ?? "" };
      // Warm: the callback cache filled, the script known to Redis, the pools open.
      for (let index = 0; index < 3; index += 1) await fire(app, created.token, variant);
      rows.push(rowOf(variant, await measure(log, () => fire(app, created.token, variant))));
    }
    if (deliveryTarget) rows.push(await deliveryRow(app, log, sinkUrl, deliveryTarget));
    return { rows };
  } finally {
    await app.close();
    await Promise.all([redis.close(), qstash.close(), postgres.close()]);
  }
}

/** The delivery function on a warm instance: two database round trips, read and record. */
async function deliveryRow(app: NextServer, log: ExchangeLog, sinkUrl: string, target: { callbackId: string; destinationId: string }): Promise<RoundTripRow> {
  const jobs = await signJobs(4, `${sinkUrl}/api/deliver`, () => jobFor("http", target.callbackId, target.destinationId));
  const [last, ...warm] = jobs;
  for (const job of warm) await deliverOnce(app, job);
  if (!last) throw new Error("no delivery job");
  const variant: Variant = { name: "delivery function (http)", callback: { name: "delivery" }, target: { redis: 0, qstash: 0, db: 2 } };
  return rowOf(variant, await measure(log, () => deliverOnce(app, last).then(() => undefined)));
}

const describe = (counts: Record<Service, number>) => `${counts.redis} Redis + ${counts.qstash} QStash + ${counts.db} DB`;

export function roundTripSummaryRows(report: RoundTripReport): SummaryRow[] {
  return report.rows.map((row) => ({
    metric: `round trips before the answer: ${row.variant}`,
    measured: `${describe(row.before)} (${row.sequentialBefore} sequential)${row.after.redis + row.after.db + row.after.qstash > 0 ? `; after it ${describe(row.after)}` : ""}`,
    baseline: "-",
    comparison: "-",
    target: row.target ? `≤ ${describe(row.target)}` : "-",
    met: row.met,
  }));
}

export function formatRoundTrips(report: RoundTripReport): string {
  return report.rows.map((row) => `  ${row.variant}: before [${row.beforeLabels.join(", ")}]; after [${row.afterLabels.join(", ")}]`).join("\n");
}
