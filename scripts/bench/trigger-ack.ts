// (a) trigger acknowledgement, throughput and latency at fixed concurrency: `next start`'s trigger
// route against the minimal Pages API route in the same server making the same Redis and QStash
// calls (the target), a bare node:http handler making them too (Next's own floor, for
// information), and the BullMQ peer's ingest enqueueing to Redis (its workers stopped, as QStash
// holds Switchyard's deliveries here).
// (b) fan-out: trigger latency with 1 and with 20 destinations.
import autocannon from "autocannon";
import type { NextServer } from "../lib/next-server";
import { freePort } from "../lib/net-tools";
import type { Peer } from "./peer/peer";
import { createBenchCallback } from "./bench-callback";
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

async function createFanOutCallback(app: NextServer, adminToken: string, destinationUrl: string, count: number): Promise<string> {
  const destinations = Array.from({ length: count }, (_unused, index) => ({ kind: "http", name: `d${index}`, config: { url: destinationUrl } }));
  return (await createBenchCallback(app, adminToken, { name: `bench-${count}`, destinations })).token;
}

async function fire(url: string): Promise<void> {
  const response = await fetch(url, { method: "POST", body: '{"n":1}', headers: { "content-type": "application/json" } });
  await response.arrayBuffer();
  if (response.status !== 202) throw new Error(`trigger answered ${response.status}`);
}

export interface TriggerAckResult {
  next: LoadResult;
  /** /api/bench/minimal-trigger in the same `next start`: the same calls and nothing else. */
  minimal: LoadResult;
  bare: LoadResult;
  peerIngest: LoadResult;
  /** The same pair answering 404 without any Redis or QStash call. */
  floor: { next: LoadResult; bare: LoadResult };
  fanOut: { oneP50: number; twentyP50: number; oneP95: number; twentyP95: number };
  summary: SummaryRow[];
}

/** Rounds alternate between the two servers so drift (other processes, GC, turbo) hits both. */
const rounds = 3;

function combine(results: LoadResult[]): LoadResult {
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const sum = (pick: (result: LoadResult) => number) => results.reduce((total, result) => total + pick(result), 0);
  return {
    requestsPerSecond: sum((result) => result.requestsPerSecond) / results.length,
    p50: middle(results.map((result) => result.p50)),
    p99: middle(results.map((result) => result.p99)),
    non2xx: sum((result) => result.non2xx),
    errors: sum((result) => result.errors),
  };
}

/** One combined result per URL, in the order given. */
async function compare(urls: readonly string[], secondsEach: number): Promise<LoadResult[]> {
  const results = urls.map((): LoadResult[] => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, url] of urls.entries()) results[index]?.push(await load(url, secondsEach));
  }
  return results.map(combine);
}

export async function benchTriggerAck(app: NextServer, env: Record<string, string>, nullSinkUrl: string, durationSeconds: number, peer: Peer): Promise<TriggerAckResult> {
  const adminToken = env.ADMIN_TOKEN ?? "";
  const token = await createFanOutCallback(app, adminToken, `${nullSinkUrl}/hook`, 1);
  const nextUrl = `${app.url}/api/trigger/${token}`;
  await fire(nextUrl);
  const bare = await startBareTriggerServer(env, await freePort(), `${nullSinkUrl}/api/deliver`);
  const bareUrl = `${bare.url}/t/${token}`;
  // The trigger's first fire filled the cache entry the minimal route reads.
  const urls = [nextUrl, `${app.url}/api/bench/minimal-trigger/${token}`, bareUrl, peer.triggerUrl("short-lived")];
  await peer.pauseWorkers();
  try {
    for (const url of urls) await fire(url);
    for (const url of urls) await load(url, 2);
    const [next, minimal, bareResult, peerIngest] = await compare(urls, durationSeconds / rounds);
    const trigger = { next: next ?? zeroLoad, minimal: minimal ?? zeroLoad, bare: bareResult ?? zeroLoad, peerIngest: peerIngest ?? zeroLoad };
    // A path no callback can have is refused before any call: what the framework alone costs.
    const [floorNext, floorBare] = await compare([`${app.url}/api/hooks/no-lookup!`, `${bare.url}/floor`], Math.max(2, durationSeconds / rounds / 2));
    const floor = { next: floorNext ?? zeroLoad, bare: floorBare ?? zeroLoad };
    const fanOut = await benchFanOut(app, adminToken, nullSinkUrl);
    return { ...trigger, floor, fanOut, summary: summarise(trigger, floor, fanOut) };
  } finally {
    await bare.close();
    await peer.resumeWorkers();
  }
}

async function benchFanOut(app: NextServer, adminToken: string, nullSinkUrl: string): Promise<TriggerAckResult["fanOut"]> {
  const one = `${app.url}/api/trigger/${await createFanOutCallback(app, adminToken, `${nullSinkUrl}/one`, 1)}`;
  const twenty = `${app.url}/api/trigger/${await createFanOutCallback(app, adminToken, `${nullSinkUrl}/twenty`, 20)}`;
  const oneTimes: number[] = [];
  const twentyTimes: number[] = [];
  // Alternate so drift (GC, the queue delivering in the background) hits both alike.
  for (let round = 0; round < 150; round += 1) {
    for (const [url, times] of [
      [one, oneTimes],
      [twenty, twentyTimes],
    ] as const) {
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

/** CPU-bound at fixed concurrency: 1 / throughput is the time one request costs its server. */
const perRequestMs = (result: LoadResult) => 1000 / result.requestsPerSecond;

const zeroLoad: LoadResult = { requestsPerSecond: 0, p50: 0, p99: 0, non2xx: 0, errors: 0 };

const describeLoad = (result: LoadResult) => `${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`;

const clean = (result: LoadResult) => result.non2xx === 0 && result.errors === 0;

function throughputRows(trigger: Pick<TriggerAckResult, "next" | "minimal" | "bare" | "peerIngest">): SummaryRow[] {
  const { next, minimal, bare, peerIngest } = trigger;
  const versus = (baseline: LoadResult) => next.requestsPerSecond / baseline.requestsPerSecond;
  return [
    {
      metric: `trigger route throughput (${connections} connections)`,
      measured: describeLoad(next),
      baseline: `minimal Pages API route, same calls, same next start: ${describeLoad(minimal)}`,
      comparison: `${versus(minimal).toFixed(2)}×`,
      target: "≥ 0.9×",
      met: versus(minimal) >= 0.9 && clean(next) && clean(minimal),
    },
    {
      metric: "trigger route throughput vs bare node:http (same calls; for information)",
      measured: `${next.requestsPerSecond.toFixed(0)} req/s`,
      baseline: `bare node:http ${describeLoad(bare)}`,
      comparison: `${versus(bare).toFixed(2)}×`,
      target: "-",
      met: null,
    },
    {
      metric: `ingest throughput (${connections} connections): Switchyard's trigger vs the BullMQ peer's ingest`,
      measured: `${next.requestsPerSecond.toFixed(0)} req/s`,
      baseline: `peer ingest (Redis lookup + addBulk) ${describeLoad(peerIngest)}`,
      comparison: `${versus(peerIngest).toFixed(2)}×`,
      target: "-",
      met: clean(peerIngest) ? null : false,
    },
  ];
}

function summarise(trigger: Pick<TriggerAckResult, "next" | "minimal" | "bare" | "peerIngest">, floor: TriggerAckResult["floor"], fanOut: TriggerAckResult["fanOut"]): SummaryRow[] {
  const floorRatio = floor.next.requestsPerSecond / floor.bare.requestsPerSecond;
  const fanOutRatio = fanOut.twentyP50 / fanOut.oneP50;
  return [
    ...throughputRows(trigger),
    {
      metric: "no-op floor: 404 before any call (same servers)",
      measured: `next start ${floor.next.requestsPerSecond.toFixed(0)} req/s (${perRequestMs(floor.next).toFixed(2)} ms each)`,
      baseline: `bare node:http ${floor.bare.requestsPerSecond.toFixed(0)} req/s (${perRequestMs(floor.bare).toFixed(2)} ms each)`,
      comparison: `${floorRatio.toFixed(2)}×`,
      target: "-",
      met: null,
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
