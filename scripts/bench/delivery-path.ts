// (c) the delivery function per kind — a signed job POSTed to `next start`'s /api/deliver, as
// QStash does: signature check, event/delivery rows, loading the destination, the publish, the
// attempt record — against the same publish done raw and short-lived with the client library.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { connect as connectAmqp } from "amqplib";
import { v7 } from "uuid";
import { parseServerTiming } from "@/lib/http/server-timing";
import type { NextServer } from "../lib/next-server";
import { signLikeQstash } from "../qstash/signing";
import { devCredentials } from "../qstash/server";
import { benchPayload } from "./bench-context";
import { createBenchCallback } from "./bench-callback";
import { rawAmqpShortLived, rawMqttShortLived } from "./broker-baselines";
import { sql } from "kysely";
import { createDb } from "@/lib/db";
import { createNeonPool } from "@/lib/db/pool";
import { benchRow, percentile, sampleAlternating } from "./stats";
import { ms, type SummaryRow } from "./summary";
import type { BenchRow } from "./types";

const rabbit = "amqp://guest:guest@127.0.0.1:5672";
const mosquitto = "mqtt://127.0.0.1:1883";

interface KindTarget {
  kind: "http" | "mqtt" | "amqp";
  config: Record<string, unknown>;
  raw: () => Promise<void>;
}

/** POST on a fresh connection, as the HTTP sender does (no keep-alive between deliveries). */
function rawHttpPost(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", agent: false, headers: { "content-type": "application/json" } }, (response) => {
      response.resume();
      response.on("end", () => resolve());
    });
    request.on("error", reject);
    request.end(benchPayload());
  });
}

async function createDestinations(app: NextServer, adminToken: string, targets: KindTarget[]): Promise<{ callbackId: string; ids: string[] }> {
  const body = await createBenchCallback(app, adminToken, {
    name: "bench-delivery",
    destinations: targets.map((target) => ({ kind: target.kind, name: target.kind, config: target.config })),
  });
  return { callbackId: body.id, ids: body.destinations.map((destination) => destination.id) };
}

export function jobFor(kind: string, callbackId: string, destinationId: string): string {
  return JSON.stringify({
    v: 1,
    deliveryId: v7(),
    eventId: v7(),
    callbackId,
    destinationId,
    kind,
    request: {
      method: "POST",
      path: "/bench",
      query: {},
      headers: { "content-type": "application/json" },
      body: '{"order":4242}',
      bodyEncoding: "utf8",
      receivedAt: new Date().toISOString(),
    },
  });
}

/** QStash keeps its connections to a function open; so does the bench's caller. */
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

export interface SignedJob {
  body: string;
  signature: string;
}

/**
 * One call as QStash makes it, over node:http like the raw baseline, so the client library's
 * own cost (fetch's Web streams) does not count against the function. Signed beforehand.
 */
export function deliverOnce(app: NextServer, job: SignedJob): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const headers = { "upstash-signature": job.signature, "content-type": "application/json" };
    const request = http.request(`${app.url}/api/deliver`, { method: "POST", agent: keepAlive, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        if (response.statusCode !== 200) reject(new Error(`/api/deliver answered ${response.statusCode}: ${text}`));
        else resolve(parseServerTiming(String(response.headers["server-timing"] ?? "")));
      });
    });
    request.on("error", reject);
    request.end(job.body);
  });
}

export async function signJobs(count: number, signedUrl: string, body: () => string): Promise<SignedJob[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const text = body();
      return { body: text, signature: await signLikeQstash({ signingKey: devCredentials.currentSigningKey, url: signedUrl, body: text }) };
    }),
  );
}

/** Median of each Server-Timing phase, and what the handler's phases leave unexplained. */
function phaseMedians(samples: Array<Record<string, number>>, totalMedian: number): Record<string, number> {
  const names = Object.keys(samples[0] ?? {});
  const medians = Object.fromEntries(
    names.map((name) => [
      name,
      percentile(
        samples.map((sample) => sample[name] ?? 0).sort((a, b) => a - b),
        0.5,
      ),
    ]),
  );
  const inside = Object.values(medians).reduce((sum, value) => sum + value, 0);
  return { ...medians, outsideHandler: Math.max(0, totalMedian - inside) };
}

/** The app's database as the app reaches it (Neon driver, WebSocket proxy, kysely), from this process. */
export interface BenchDatabase {
  url: string;
  wsProxy: string;
}

export async function benchDeliveryPath(
  app: NextServer,
  appUrl: string,
  adminToken: string,
  nullSinkUrl: string,
  iterations: number,
  database: BenchDatabase,
): Promise<{ rows: BenchRow[]; summary: SummaryRow[] }> {
  const handle = createDb(createNeonPool(database.url, { wsProxy: database.wsProxy, max: 1 }));
  const selectOne = async () => {
    await sql`select 1`.execute(handle.db);
  };
  const admin = await connectAmqp(rabbit, { noDelay: true });
  const channel = await admin.createChannel();
  const { queue } = await channel.assertQueue(`switchyard-bench-${randomUUID()}`, { exclusive: true, autoDelete: true });
  const topic = `switchyard-bench/${randomUUID()}`;
  try {
    const targets: KindTarget[] = [
      { kind: "http", config: { url: `${nullSinkUrl}/deliver-bench` }, raw: () => rawHttpPost(`${nullSinkUrl}/raw`) },
      { kind: "mqtt", config: { url: mosquitto, topic, qos: 1 }, raw: () => rawMqttShortLived(mosquitto, topic) },
      { kind: "amqp", config: { url: rabbit, exchange: "", routingKey: queue }, raw: () => rawAmqpShortLived(rabbit, queue) },
    ];
    const { callbackId, ids } = await createDestinations(app, adminToken, targets);
    const rows: BenchRow[] = [];
    for (const [index, target] of targets.entries()) {
      const destinationId = ids[index] ?? "";
      // A warm instance, as a busy function is: the first few dozen calls of a fresh server still
      // compile the route's code (5 left runs 1-3 of `only.ts delivery --runs 5` 1-2 ms slower).
      const warmup = 30;
      const jobs = await signJobs(warmup + iterations, `${appUrl}/api/deliver`, () => jobFor(target.kind, callbackId, destinationId));
      const phases: Array<Record<string, number>> = [];
      const measured = async () => {
        const job = jobs.shift();
        if (!job) throw new Error("ran out of signed jobs");
        phases.push(await deliverOnce(app, job));
      };
      const [times = [], baseline = [], selects = []] = await sampleAlternating(iterations, [measured, target.raw, selectOne], warmup);
      const row = benchRow(`delivery function, ${target.kind}`, transportOf(target.kind), times, baseline);
      rows.push({ ...row, phases: phaseMedians(phases.slice(warmup), row.median), selectOneMedian: Math.round(percentile(selects, 0.5) * 100) / 100 });
    }
    return { rows, summary: [...rows.map(toSummary), databasePhasesRow(rows)] };
  } finally {
    await handle.close();
    keepAlive.destroy();
    await channel.deleteQueue(queue).catch(() => undefined);
    await admin.close();
  }
}

function transportOf(kind: string): string {
  if (kind === "http") return "loopback HTTP sink, new connection";
  if (kind === "mqtt") return "mosquitto TCP :1883, QoS 1, short-lived";
  return "RabbitMQ :5672, confirms, short-lived";
}

/** "verify 0.5 + read 2.2 + send 1.3 + record 2.6, outside the handler 3.1" */
function describePhases(phases: Record<string, number> | undefined): string {
  if (!phases) return "";
  const { outsideHandler, ...inside } = phases;
  const parts = Object.entries(inside).map(([name, value]) => `${name} ${value.toFixed(1)}`);
  return `; ${parts.join(" + ")}, outside the handler ${(outsideHandler ?? 0).toFixed(1)}`;
}

function toSummary(row: BenchRow): SummaryRow {
  const delta = row.median - (row.baselineMedian ?? 0);
  return {
    metric: `${row.name} (median)`,
    measured: `${ms(row.median)} (p95 ${ms(row.p95)}${describePhases(row.phases)})`,
    baseline: `raw publish ${ms(row.baselineMedian ?? 0)}`,
    comparison: `+${delta.toFixed(2)} ms`,
    target: "≤ raw + 5 ms",
    met: delta <= 5,
  };
}

/**
 * The delivery's two database round trips (read, record) against a bare SELECT 1 through the same
 * driver: what is left over is the statements' own work, and for the record the durable commit.
 */
function databasePhasesRow(rows: readonly BenchRow[]): SummaryRow {
  const kinds = rows.map((row) => row.name.replace("delivery function, ", ""));
  const phase = (name: string) => rows.map((row) => (row.phases?.[name] ?? 0).toFixed(2)).join(" / ");
  const selectOne = percentile(
    rows.map((row) => row.selectOneMedian ?? 0).sort((a, b) => a - b),
    0.5,
  );
  const over = (name: string) => rows.map((row) => `+${((row.phases?.[name] ?? 0) - selectOne).toFixed(2)}`).join(" / ");
  return {
    metric: `delivery function: its 2 DB round trips vs a bare SELECT 1 (median, ${kinds.join(" / ")})`,
    measured: `read ${phase("read")} ms, record ${phase("record")} ms`,
    baseline: `SELECT 1 ${ms(selectOne)} (same driver and proxy)`,
    comparison: `read ${over("read")}, record ${over("record")} ms (statements + durable commit)`,
    target: "-",
    met: null,
  };
}
