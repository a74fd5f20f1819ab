// (d) end to end: a trigger POSTed to `next start` until an MQTT subscriber holds the message
// (trigger route → local QStash → /api/deliver → Mosquitto → subscriber).
import { connectAsync } from "mqtt";
import type { NextServer } from "../lib/next-server";
import { percentile } from "./stats";
import { ms, type SummaryRow } from "./summary";

const mosquitto = "mqtt://127.0.0.1:1883";

export async function benchEndToEnd(app: NextServer, adminToken: string, iterations: number): Promise<{ p50: number; p95: number; summary: SummaryRow }> {
  const topic = `switchyard-bench/e2e/${Date.now()}`;
  const response = await fetch(`${app.url}/api/callbacks`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "bench-e2e", destinations: [{ kind: "mqtt", name: "mosquitto", config: { url: mosquitto, topic, qos: 1 } }] }),
  });
  const token = ((await response.json()) as { token: string }).token;
  const subscriber = await connectAsync(mosquitto, { reconnectPeriod: 0 });
  await subscriber.subscribeAsync(topic, { qos: 1 });
  const waiting = new Map<string, () => void>();
  // The message can beat the trigger's own answer back to us: remember early arrivals.
  const arrived = new Set<string>();
  subscriber.on("message", (_topic, payload) => {
    const deliveryId = (JSON.parse(payload.toString()) as { deliveryId?: string }).deliveryId ?? "";
    const resolve = waiting.get(deliveryId);
    if (resolve) resolve();
    else arrived.add(deliveryId);
  });
  const times: number[] = [];
  try {
    for (let index = 0; index < iterations + 5; index += 1) {
      const started = performance.now();
      const answer = await fetch(`${app.url}/api/trigger/${token}`, { method: "POST", body: '{"n":1}', headers: { "content-type": "application/json" } });
      const deliveryId = ((await answer.json()) as { deliveries: Array<{ id: string }> }).deliveries[0]?.id ?? "";
      await new Promise<void>((resolve, reject) => {
        if (arrived.delete(deliveryId)) return resolve();
        const timer = setTimeout(() => reject(new Error(`no MQTT message for ${deliveryId} within 10 s`)), 10_000);
        waiting.set(deliveryId, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      waiting.delete(deliveryId);
      if (index >= 5) times.push(performance.now() - started);
    }
  } finally {
    await subscriber.endAsync();
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 0.5);
  const p95 = percentile(times, 0.95);
  return {
    p50,
    p95,
    summary: { metric: "end to end: trigger → MQTT subscriber", measured: `p50 ${ms(p50)}, p95 ${ms(p95)}`, baseline: "-", comparison: "-", target: "-", met: null },
  };
}
