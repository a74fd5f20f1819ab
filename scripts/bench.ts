// npm run bench — every claim of the README measured in one run, on loopback, bounded:
// (a) trigger route vs a minimal route making the same calls in the same `next start` (and a bare
// node:http handler, and the BullMQ peer's ingest), (b) fan-out 1 vs 20 destinations, (c) the
// delivery function per kind vs a raw short-lived publish, (d) end to end trigger → subscriber
// against the BullMQ peer users would build, cold starts and each hot route's traced files,
// (e) the delivery log at 1,000,000 rows vs OFFSET, plus the broker senders (short-lived and
// reused) vs their client libraries, the same over TLS (mqtts, wss, amqps) with the cost of a TLS
// connect against a plain one, and the peak RSS of the processes serving deliveries.
// Prints the headline table (ratios first) and writes bench-results/<date>.json.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureNextBuild, startNextServer, type NextServer } from "./lib/next-server";
import { benchBrokerDelivery } from "./bench/broker-delivery";
import { benchBrokerTls, formatTlsTables, tlsSummaryRows } from "./bench/broker-tls";
import { benchColdStart, coldStartSummaryRows } from "./bench/cold-start";
import { benchDeliveriesPage } from "./bench/deliveries-page";
import { benchDeliveryPath } from "./bench/delivery-path";
import { benchRoundTrips, formatRoundTrips, roundTripSummaryRows } from "./bench/round-trips";
import { benchSearchDeliveries, formatSearchBench, searchSummaryRows } from "./bench/search-deliveries";
import { benchEndToEnd } from "./bench/end-to-end";
import { benchFilterEval, filterEvalSummaryRows } from "./bench/filter-eval";
import { startPeer } from "./bench/peer/peer";
import { inspectorEnv, measureMemory, memorySummaryRows } from "./bench/memory";
import { peakRssMb } from "./bench/processes";
import { startBenchStack } from "./bench/stack";
import { formatBenchTable } from "./bench/stats";
import type { BenchRow } from "./bench/types";
import { formatSummary, ms, type SummaryRow } from "./bench/summary";
import { benchTriggerAck } from "./bench/trigger-ack";
import { benchTransform, transformSummaryRows } from "./bench/transform-overhead";

const quick = process.argv.includes("--quick");
const say = (line: string) => console.log(`[bench] ${line}`);

async function withServer<T>(start: Promise<NextServer>, use: (server: NextServer) => Promise<T>): Promise<T> {
  const server = await start;
  try {
    return await use(server);
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  say(`next build: ${await ensureNextBuild()}`);
  const stack = await startBenchStack();
  say("the BullMQ peer: node:http ingest → Redis → two always-on workers (MQTT kept open / per delivery) → PostgreSQL");
  const peer = await startPeer(stack.env.DATABASE_URL ?? "").catch(async (error: unknown) => {
    await stack.close();
    throw error;
  });
  const adminToken = stack.env.ADMIN_TOKEN ?? "";
  const summary: SummaryRow[] = [];
  const report: Record<string, unknown> = {};
  try {
    say("(a, b) trigger acknowledgement and fan-out, QStash holding deliveries; (c) the delivery function");
    await withServer(startNextServer({ ...stack.env, BENCH_MINIMAL_ROUTE: "true" }, { appUrl: stack.nullSinkUrl }), async (app) => {
      const ack = await stack.withDeliveriesHeld(() => benchTriggerAck(app, stack.env, stack.nullSinkUrl, quick ? 5 : 15, peer));
      const delivery = await benchDeliveryPath(app, stack.nullSinkUrl, adminToken, stack.nullSinkUrl, quick ? 30 : 150, stack.database);
      summary.push(...ack.summary, ...delivery.summary);
      report.triggerAck = ack;
      report.deliveryPath = delivery.rows;
      report.peakRssTriggerAndDeliveryMb = peakRssMb(app.pid);
    });
    say("(d) end to end through the real queue, alternating with the BullMQ peer's two workers; then cold starts");
    await withServer(startNextServer({ ...stack.env, ...inspectorEnv() }), async (app) => {
      const endToEnd = await benchEndToEnd(app, adminToken, quick ? 30 : 150, { peer, env: stack.env });
      const memory = await measureMemory(app);
      report.memoryAfterEndToEnd = memory;
      summary.push(...memorySummaryRows(memory, "the end-to-end run"));
      summary.push(...endToEnd.summary);
      report.endToEnd = { p50: endToEnd.p50, p95: endToEnd.p95, peer: endToEnd.peer, legs: endToEnd.legs };
      report.peakRssEndToEndMb = peakRssMb(app.pid);
      const coldStart = await stack.withDeliveriesHeld(() => benchColdStart(app, stack.env, adminToken, quick ? 3 : 4));
      report.coldStart = coldStart;
      summary.push(...coldStartSummaryRows(coldStart));
    });
    summary.push(memoryRow(report));
    say("round trips before the answer, counted at proxies in front of Redis, QStash and PostgreSQL");
    const roundTrips = await benchRoundTrips(stack.env, adminToken, stack.nullSinkUrl);
    report.roundTrips = roundTrips.rows;
    summary.push(...roundTripSummaryRows(roundTrips));
    console.log(formatRoundTrips(roundTrips));
  } finally {
    await peer.close();
    await stack.close();
  }
  say("the filter language: matchFilter per evaluation vs JSON.parse of the same body");
  const filterEval = benchFilterEval({ quick });
  report.filterEval = filterEval;
  summary.push(...filterEvalSummaryRows(filterEval));
  say("the transform sandbox: cold start, and an MQTT delivery with a transform vs without");
  const transform = await benchTransform({ iterations: quick ? 100 : 300 });
  report.transform = transform;
  summary.push(...transformSummaryRows(transform));
  say("(e) delivery log at 1,000,000 rows");
  const page = await benchDeliveriesPage({ rows: quick ? 100_000 : 1_000_000 });
  report.deliveriesPage = page;
  for (const item of page.cases.slice(0, 2)) {
    summary.push({
      metric: `deliveries page, ${item.name}, ${page.rows.toLocaleString("en")} rows`,
      measured: `p50 ${ms(item.keysetMs)}`,
      baseline: `OFFSET ${ms(item.offsetMs)}`,
      comparison: `${item.ratio.toFixed(1)}× faster`,
      target: "p50 < 50 ms",
      met: item.keysetMs < 50,
    });
  }
  say(`(f) search with the filter language at ${quick ? "100,000 events (--quick; the full run seeds 1,000,000)" : "1,000,000 events"}`);
  const search = await benchSearchDeliveries({ rows: quick ? 100_000 : 1_000_000 });
  report.search = search;
  console.log(formatSearchBench(search));
  summary.push(...searchSummaryRows(search));
  say("broker senders vs mqtt.js / amqplib alone");
  const brokers = await benchBrokerDelivery({ iterations: quick ? 50 : 200 });
  report.brokers = brokers;
  const shortLived = brokers.filter((row) => (row.name.startsWith("sendMqtt short") && row.transport.includes("TCP")) || row.name.startsWith("sendAmqp short"));
  summary.push(...shortLived.map(senderRow));
  say("broker senders over TLS (mqtts, wss, amqps) vs mqtt.js / amqplib alone, and TLS connect vs plain");
  const overTls = await benchBrokerTls({ iterations: quick ? 50 : 200 });
  report.brokersTls = overTls;
  summary.push(...tlsSummaryRows(overTls));
  finish(summary, report, `${formatBenchTable(brokers)}\n\nOver TLS (the TLS test stand, tls.ca = its CA):\n${formatTlsTables(overTls)}`, started);
}

/** The issue-5 comparison: the destination module alone against the client library alone. */
function senderRow(row: BenchRow): SummaryRow {
  const delta = row.median - (row.baselineMedian ?? 0);
  return {
    metric: `${row.name} (sender alone, median)`,
    measured: `${ms(row.median)} (p95 ${ms(row.p95)})`,
    baseline: `raw short-lived publish ${ms(row.baselineMedian ?? 0)}`,
    comparison: `+${delta.toFixed(2)} ms`,
    target: "≤ raw + 5 ms",
    met: delta <= 5,
  };
}

function memoryRow(report: Record<string, unknown>): SummaryRow {
  return {
    metric: "peak RSS of the app process serving (a)-(c): trigger load, then deliveries",
    measured: `${String(report.peakRssTriggerAndDeliveryMb)} MB`,
    baseline: "-",
    comparison: "-",
    target: "-",
    met: null,
  };
}

function finish(summary: SummaryRow[], report: Record<string, unknown>, brokerTable: string, started: number): void {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;
  const date = new Date().toISOString().slice(0, 10);
  console.log(`\nSwitchyard benchmark — ${date} — ${machine}${quick ? " — QUICK (fewer samples)" : ""}\n`);
  console.log(formatSummary(summary));
  console.log(`\nBroker senders (median/p95 ms, baseline = the client library alone):\n${brokerTable}`);
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`\nTook ${seconds} s.`);
  const folder = path.resolve("bench-results");
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `bench-${date}${quick ? "-quick" : ""}.json`);
  writeFileSync(file, JSON.stringify({ date, machine, seconds, summary, ...report }, null, 2));
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("[bench] failed:", error);
    process.exit(1);
  },
);
