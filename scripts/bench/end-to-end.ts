// (d) end to end, trigger until an MQTT subscriber holds the message: Switchyard (trigger route →
// local QStash → /api/deliver → Mosquitto) against the BullMQ peer users would build (ingest →
// Redis → always-on worker → Mosquitto), its worker on a kept-open MQTT connection and on one
// per delivery. The three alternate trigger by trigger, so drift on a shared machine hits all
// alike; the local QStash server's own share of Switchyard's time is watched as it goes.
import { connectAsync } from "mqtt";
import type { NextServer } from "../lib/next-server";
import type { Peer } from "./peer/peer";
import { createBenchCallback } from "./bench-callback";
import { watchTriggerPath } from "./trigger-path-marks";
import { percentile } from "./stats";
import { ms, type SummaryRow } from "./summary";

const mosquitto = "mqtt://127.0.0.1:1883";

interface Target {
  topic: string;
  /** Sends one trigger; resolves to the delivery id its message will carry. */
  fire(): Promise<string>;
  /** Called once the message has arrived, with whether the run counted, and when it arrived. */
  settled?(measured: boolean, arrivedAt: number): void;
}

async function fireJson(url: string, init: RequestInit): Promise<string> {
  const answer = await fetch(url, init);
  const body = (await answer.json()) as { deliveries?: Array<{ id: string }> };
  const id = body.deliveries?.[0]?.id;
  if (answer.status !== 202 || !id) throw new Error(`${url} answered ${answer.status}: ${JSON.stringify(body)}`);
  return id;
}

const trigger = (url: string) => () => fireJson(url, { method: "POST", body: '{"n":1}', headers: { "content-type": "application/json" } });

/** Sorted trigger → subscriber times per target, target after target within each round. */
async function sampleTargets(targets: Target[], iterations: number, warmup = 5): Promise<number[][]> {
  const subscriber = await connectAsync(mosquitto, { reconnectPeriod: 0 });
  const waiting = new Map<string, () => void>();
  // The message can beat the trigger's own answer back to us: remember early arrivals.
  const arrived = new Set<string>();
  subscriber.on("message", (_topic, payload) => {
    const deliveryId = (JSON.parse(payload.toString()) as { deliveryId?: string }).deliveryId ?? "";
    const resolve = waiting.get(deliveryId);
    if (resolve) resolve();
    else arrived.add(deliveryId);
  });
  const arrival = (deliveryId: string) =>
    new Promise<void>((resolve, reject) => {
      if (arrived.delete(deliveryId)) return resolve();
      const timer = setTimeout(() => reject(new Error(`no MQTT message for ${deliveryId} within 10 s`)), 10_000);
      waiting.set(deliveryId, () => {
        clearTimeout(timer);
        waiting.delete(deliveryId);
        resolve();
      });
    });
  const times = targets.map((): number[] => []);
  try {
    for (const target of targets) await subscriber.subscribeAsync(target.topic, { qos: 1 });
    for (let round = 0; round < warmup + iterations; round += 1) {
      for (const [index, target] of targets.entries()) {
        const started = performance.now();
        await arrival(await target.fire());
        const arrivedAt = performance.now();
        if (round >= warmup) times[index]?.push(arrivedAt - started);
        target.settled?.(round >= warmup, arrivedAt);
      }
    }
  } finally {
    await subscriber.endAsync();
  }
  return times.map((list) => list.sort((a, b) => a - b));
}

async function createMqttCallback(app: NextServer, adminToken: string, topic: string): Promise<string> {
  const created = await createBenchCallback(app, adminToken, { name: "bench-e2e", destinations: [{ kind: "mqtt", name: "mosquitto", config: { url: mosquitto, topic, qos: 1 } }] });
  return created.token;
}

export interface Percentiles {
  p50: number;
  p95: number;
}

/** Where Switchyard's end to end goes, per trigger, as seen from the stand-ins' side. */
export interface EndToEndLegs {
  /** Trigger sent → its Redis call reaching the REST bridge: the client, Next, the handler's start. */
  toRedis: Percentiles;
  /** Redis call in → publish in: the Redis round trip, building the jobs, the QStash client. */
  redisToPublish: Percentiles;
  /** The local QStash server's own time: publish in → delivery out. */
  qstashHold: Percentiles;
  /** Delivery out → the subscriber holding the message: the delivery function and the broker. */
  deliveryToSubscriber: Percentiles;
}

export interface EndToEndResult extends Percentiles {
  peer: { persistent: Percentiles; shortLived: Percentiles };
  legs: EndToEndLegs;
  summary: SummaryRow[];
}

const percentiles = (sorted: number[]): Percentiles => ({ p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) });

/** `env` is the stack's: its QStash and Redis URLs are where the trigger's path is watched. */
export async function benchEndToEnd(app: NextServer, adminToken: string, iterations: number, options: { peer: Peer; env: Record<string, string> }): Promise<EndToEndResult> {
  const { peer, env } = options;
  const topic = `switchyard-bench/e2e/${Date.now()}`;
  const switchyardTrigger = trigger(`${app.url}/api/trigger/${await createMqttCallback(app, adminToken, topic)}`);
  const watch = watchTriggerPath({ qstashUrl: env.QSTASH_URL ?? "", redisUrl: env.UPSTASH_REDIS_REST_URL ?? "" });
  const legs = { toRedis: [] as number[], redisToPublish: [] as number[], qstashHold: [] as number[], deliveryToSubscriber: [] as number[] };
  let firedAt = 0;
  const switchyard: Target = {
    topic,
    fire: () => {
      watch.reset();
      firedAt = performance.now();
      return switchyardTrigger();
    },
    settled: (measured, arrivedAt) => {
      const marks = watch.lastMarks();
      if (!measured || !marks) return;
      const redisAt = marks.redisAt ?? marks.publishedAt;
      legs.toRedis.push(redisAt - firedAt);
      legs.redisToPublish.push(marks.publishedAt - redisAt);
      legs.qstashHold.push(marks.dispatchedAt - marks.publishedAt);
      legs.deliveryToSubscriber.push(arrivedAt - marks.dispatchedAt);
    },
  };
  const peerTarget = (mode: "persistent" | "short-lived"): Target => ({ topic: peer.topic(mode), fire: trigger(peer.triggerUrl(mode)) });
  try {
    const [own = [], persistent = [], shortLived = []] = await sampleTargets([switchyard, peerTarget("persistent"), peerTarget("short-lived")], iterations);
    const sorted = (list: number[]) => percentiles(list.sort((a, b) => a - b));
    const result = {
      ...percentiles(own),
      peer: { persistent: percentiles(persistent), shortLived: percentiles(shortLived) },
      legs: { toRedis: sorted(legs.toRedis), redisToPublish: sorted(legs.redisToPublish), qstashHold: sorted(legs.qstashHold), deliveryToSubscriber: sorted(legs.deliveryToSubscriber) },
    };
    return { ...result, summary: summarise(result) };
  } finally {
    watch.close();
  }
}

function versusPeer(own: Percentiles, peer: Percentiles, worker: string, target: "p50 ≤ 2×" | "-"): SummaryRow {
  const ratio = own.p50 / peer.p50;
  return {
    metric: `end to end: trigger → MQTT subscriber, vs the BullMQ peer (${worker})`,
    measured: `p50 ${ms(own.p50)}, p95 ${ms(own.p95)}`,
    baseline: `peer p50 ${ms(peer.p50)}, p95 ${ms(peer.p95)}`,
    comparison: `p50 ${ratio.toFixed(2)}×, p95 ${(own.p95 / peer.p95).toFixed(2)}×`,
    target,
    met: target === "-" ? null : ratio <= 2,
  };
}

function summarise(result: Omit<EndToEndResult, "summary">): SummaryRow[] {
  const { toRedis, redisToPublish, qstashHold, deliveryToSubscriber } = result.legs;
  return [
    versusPeer(result, result.peer.shortLived, "worker connects per delivery, records in PostgreSQL", "p50 ≤ 2×"),
    versusPeer(result, result.peer.persistent, "worker keeps its MQTT connection open; reported, not targeted", "-"),
    {
      metric: "of which the local QStash server's own time (publish in → delivery out; real QStash runs elsewhere)",
      measured: `p50 ${ms(qstashHold.p50)}, p95 ${ms(qstashHold.p95)}`,
      baseline: `Switchyard end to end p50 ${ms(result.p50)}`,
      comparison: `${((qstashHold.p50 / result.p50) * 100).toFixed(0)}% of p50; without it ≈ ${ms(result.p50 - qstashHold.p50)}, ${((result.p50 - qstashHold.p50) / result.peer.shortLived.p50).toFixed(2)}× the peer's`,
      target: "-",
      met: null,
    },
    {
      metric: "Switchyard's end to end by leg, p50 (the legs' medians need not add up to the whole's)",
      measured: `trigger → Redis in ${ms(toRedis.p50)}, Redis in → publish in ${ms(redisToPublish.p50)}, QStash ${ms(qstashHold.p50)}, delivery out → subscriber ${ms(deliveryToSubscriber.p50)}`,
      baseline: "-",
      comparison: "-",
      target: "-",
      met: null,
    },
  ];
}
