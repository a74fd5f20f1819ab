// (a) trigger acknowledgement: `next start`'s trigger route against a bare node:http handler
// making the same Redis and QStash calls, throughput and latency at fixed concurrency.
// (b) fan-out: trigger latency with 1 and with 20 destinations.
import autocannon from "autocannon";
import type { NextServer } from "../../test/support/next-server";
import { freePort } from "../../test/support/next-server";
import { startBareTriggerServer } from "./processes";
import { percentile, sample } from "./stats";
import { ms, type SummaryRow } from "./summary";

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const connections = 20;

async function load(url: string, durationSeconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: "POST",
    connections,
    duration: durationSeconds,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ event: "order.created", order: { id: 4242 } }),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function createBenchCallback(app: NextServer, adminToken: string, destinationUrl: string, count: number): Promise<string> {
  const destinations = Array.from({ length: count }, (_unused, index) => ({ kind: "http", name: `d${index}`, config: { url: destinationUrl } }));
  const response = await fetch(`${app.url}/api/callbacks`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name: `bench-${count}`, destinations }),
  });
  if (response.status !== 201) throw new Error(`creating the bench callback failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

async function fire(url: string): Promise<void> {
  const response = await fetch(url, { method: "POST", body: '{"n":1}', headers: { "content-type": "application/json" } });
  await response.arrayBuffer();
  if (response.status !== 202) throw new Error(`trigger answered ${response.status}`);
}

export interface TriggerAckResult {
  next: LoadResult;
  bare: LoadResult;
  fanOut: { oneP50: number; twentyP50: number; oneP95: number; twentyP95: number };
  summary: SummaryRow[];
}

export async function benchTriggerAck(app: NextServer, env: Record<string, string>, nullSinkUrl: string, durationSeconds: number): Promise<TriggerAckResult> {
  const adminToken = env.ADMIN_TOKEN ?? "";
  const token = await createBenchCallback(app, adminToken, `${nullSinkUrl}/hook`, 1);
  const nextUrl = `${app.url}/api/trigger/${token}`;
  await fire(nextUrl);
  const bare = await startBareTriggerServer(env, await freePort(), `${nullSinkUrl}/api/deliver`);
  const bareUrl = `${bare.url}/t/${token}`;
  try {
    await fire(bareUrl);
    await load(nextUrl, 3);
    await load(bareUrl, 3);
    const bareResult = await load(bareUrl, durationSeconds);
    const nextResult = await load(nextUrl, durationSeconds);
    const fanOut = await benchFanOut(app, adminToken, nullSinkUrl);
    return { next: nextResult, bare: bareResult, fanOut, summary: summarise(nextResult, bareResult, fanOut) };
  } finally {
    await bare.close();
  }
}

async function benchFanOut(app: NextServer, adminToken: string, nullSinkUrl: string): Promise<TriggerAckResult["fanOut"]> {
  const one = `${app.url}/api/trigger/${await createBenchCallback(app, adminToken, `${nullSinkUrl}/one`, 1)}`;
  const twenty = `${app.url}/api/trigger/${await createBenchCallback(app, adminToken, `${nullSinkUrl}/twenty`, 20)}`;
  const oneTimes: number[] = [];
  const twentyTimes: number[] = [];
  // Alternate so drift (GC, the queue delivering in the background) hits both alike.
  for (let round = 0; round < 150; round += 1) {
    for (const [url, times] of [[one, oneTimes], [twenty, twentyTimes]] as const) {
      const [duration] = await sample(1, () => fire(url), round === 0 ? 5 : 0);
      if (duration !== undefined) times.push(duration);
    }
  }
  oneTimes.sort((a, b) => a - b);
  twentyTimes.sort((a, b) => a - b);
  return {
    oneP50: percentile(oneTimes, 0.5),
    twentyP50: percentile(twentyTimes, 0.5),
    oneP95: percentile(oneTimes, 0.95),
    twentyP95: percentile(twentyTimes, 0.95),
  };
}

function summarise(next: LoadResult, bare: LoadResult, fanOut: TriggerAckResult["fanOut"]): SummaryRow[] {
  const throughputRatio = next.requestsPerSecond / bare.requestsPerSecond;
  const fanOutRatio = fanOut.twentyP50 / fanOut.oneP50;
  return [
    {
      metric: `trigger route throughput (${connections} connections)`,
      measured: `${next.requestsPerSecond.toFixed(0)} req/s, p50 ${next.p50} ms, p99 ${next.p99} ms`,
      baseline: `bare node:http ${bare.requestsPerSecond.toFixed(0)} req/s, p50 ${bare.p50} ms, p99 ${bare.p99} ms`,
      comparison: `${throughputRatio.toFixed(2)}×`,
      target: "≥ 0.6×",
      met: throughputRatio >= 0.6 && next.non2xx === 0 && next.errors === 0,
    },
    {
      metric: "fan-out: trigger latency, 20 vs 1 destinations",
      measured: `20: p50 ${ms(fanOut.twentyP50)}, p95 ${ms(fanOut.twentyP95)}`,
      baseline: `1: p50 ${ms(fanOut.oneP50)}, p95 ${ms(fanOut.oneP95)}`,
      comparison: `${fanOutRatio.toFixed(2)}×`,
      target: "≤ 1.3×",
      met: fanOutRatio <= 1.3,
    },
  ];
}
