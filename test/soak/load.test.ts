// Load soak: 2,000 triggers at concurrency 50 against one callback with three destinations —
// HTTP to a local sink, MQTT to the machine's Mosquitto (:1883) with a real subscriber, AMQP to
// RabbitMQ with a real consumer — through the in-process app and the local QStash server. Every
// accepted trigger must end with all three deliveries succeeded and received, by delivery id.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { amqpConnectionPool } from "@/lib/destinations/amqp/send-amqp";
import { mqttConnectionPool } from "@/lib/destinations/mqtt/send-mqtt";
import { waitFor } from "../support/api";
import { createCallback, httpDestination } from "../support/fixtures";
import { useApp } from "../support/harness";
import { startSink, type Sink } from "../support/sink";
import { collectAmqp, collectMqtt, type AmqpCollector, type MqttCollector } from "./collectors";
import { countBy, fireTriggers, latencySummary, log, reconcileArrivals, selectAttempts, waitForTerminal } from "./soak-support";

const triggers = 2_000;
const concurrency = 50;
const rabbitUrl = "amqp://guest:guest@127.0.0.1:5672";
const mosquittoUrl = "mqtt://127.0.0.1:1883";

const app = useApp();
let sink: Sink;
let subscriber: MqttCollector;
let consumer: AmqpCollector;
const topic = `switchyard-soak/${randomUUID()}/load`;

beforeAll(async () => {
  sink = await startSink();
  subscriber = await collectMqtt(mosquittoUrl, topic);
  consumer = await collectAmqp(rabbitUrl);
});

afterAll(async () => {
  await Promise.allSettled([sink?.close(), subscriber?.close(), consumer?.close(), mqttConnectionPool.closeAll(), amqpConnectionPool.closeAll()]);
});

describe("load", () => {
  it(`${triggers} triggers at concurrency ${concurrency} across HTTP, MQTT and AMQP: every accepted trigger's 3 deliveries succeed and arrive`, async () => {
    const callback = await createCallback(app.url, {
      name: "soak-load",
      retries: 10,
      destinations: [
        httpDestination(`${sink.url}/load`, { timeoutMs: 10_000 }),
        { kind: "mqtt", name: "mosquitto", config: { url: mosquittoUrl, topic, qos: 1 } },
        { kind: "amqp", name: "rabbit", config: { url: rabbitUrl, exchange: "", routingKey: consumer.queue } },
      ].map((destination) => ({ ...destination, failureThreshold: null })),
    });
    const started = performance.now();
    const fired = await fireTriggers(callback.triggerUrl, { count: triggers, concurrency });
    const firedMs = performance.now() - started;
    const accepted = fired.filter((trigger) => trigger.status === 202);
    const ids = accepted.flatMap((trigger) => trigger.deliveryIds);
    const rows = await waitForTerminal(app.db, ids, 180_000);
    const settledMs = performance.now() - started;
    const byKind = (kind: string) => rows.filter((row) => row.kind === kind).map((row) => row.id);
    const received = {
      http: () => sink.requests.filter((request) => request.path === "/load").map((request) => String(request.headers["webhook-id"])),
      mqtt: () => subscriber.deliveryIds,
      amqp: () => consumer.deliveryIds,
    };
    // Arrivals trail the recorded outcome by at most a moment (the broker still routes them).
    await waitFor(async () => (["http", "mqtt", "amqp"] as const).every((kind) => reconcileArrivals(byKind(kind), received[kind]()).missing.length === 0), {
      timeoutMs: 10_000,
      what: "every delivery at its receiver",
    }).catch(() => undefined);
    const arrivals = {
      http: reconcileArrivals(byKind("http"), received.http()),
      mqtt: reconcileArrivals(byKind("mqtt"), received.mqtt()),
      amqp: reconcileArrivals(byKind("amqp"), received.amqp()),
    };
    const attempts = await selectAttempts(app.db, ids);
    const elapsedS = settledMs / 1000;
    const unanswered = fired.filter((trigger) => trigger.status !== 202);
    // A sender that got no answer may still have been accepted: look for its event by body marker.
    const events = await app.db.selectFrom("events").select(["id", "body"]).where("callback_id", "=", callback.id).execute();
    const eventMarkers = new Set(events.map((event) => (JSON.parse(event.body) as { n: number }).n));
    if (unanswered.length > 0) {
      log(
        `load: ${unanswered.length} triggers without a 202: ${JSON.stringify(countBy(unanswered, (t) => `${t.status} ${t.error ?? ""}`.slice(0, 120)))}; ` +
          `${unanswered.filter((t) => eventMarkers.has(t.index)).length} of them were accepted anyway (event recorded)`,
      );
    }
    log(
      `load: ${triggers} triggers at concurrency ${concurrency}: accepted ${accepted.length}, rejected ${triggers - accepted.length} ` +
        `${JSON.stringify(countBy(fired, (trigger) => String(trigger.status)))} in ${(firedMs / 1000).toFixed(1)} s ` +
        `(${(triggers / (firedMs / 1000)).toFixed(0)} triggers/s answered; answer latency ${latencySummary(fired)}); deliveries ${ids.length} recorded ` +
        `${JSON.stringify(countBy(rows, (row) => row.status))}, attempts ${attempts.length} ` +
        `${JSON.stringify(countBy(attempts, (attempt) => attempt.outcome))}; received http ${arrivals.http.received} mqtt ${arrivals.mqtt.received} ` +
        `amqp ${arrivals.amqp.received}; duplicates http ${arrivals.http.duplicates} mqtt ${arrivals.mqtt.duplicates} amqp ${arrivals.amqp.duplicates}; ` +
        `missing http ${arrivals.http.missing.length} mqtt ${arrivals.mqtt.missing.length} amqp ${arrivals.amqp.missing.length}; ` +
        `elapsed ${elapsedS.toFixed(1)} s (${(triggers / elapsedS).toFixed(0)} triggers/s, ${(ids.length / elapsedS).toFixed(0)} deliveries/s end to end)`,
    );
    // A sender either got 202, or an answer it would retry (503/429 with Retry-After, or none at
    // all: the local stack's single app process can stop accepting connections under this load).
    const retryable = unanswered.filter((t) => t.status === 0 || ((t.status === 503 || t.status === 429) && t.retryAfter !== null));
    expect(unanswered.filter((t) => !retryable.includes(t)).map((t) => `${t.status} ${t.error ?? ""}`)).toEqual([]);
    // Not vacuous: nearly every trigger must be accepted for the rest to mean anything.
    expect(accepted.length).toBeGreaterThanOrEqual(triggers * 0.98);
    expect(accepted.every((trigger) => trigger.deliveryIds.length === 3)).toBe(true);
    expect(rows).toHaveLength(ids.length);
    expect(rows.filter((row) => row.status !== "succeeded")).toEqual([]);
    expect(countBy(rows, (row) => row.kind)).toEqual({ http: accepted.length, mqtt: accepted.length, amqp: accepted.length });
    for (const kind of ["http", "mqtt", "amqp"] as const) {
      expect(arrivals[kind].missing, `${kind} deliveries never received`).toEqual([]);
    }
    // Every message received belongs to this callback's recorded deliveries.
    const recorded = await app.db.selectFrom("deliveries").select("id").where("callback_id", "=", callback.id).execute();
    const recordedIds = new Set(recorded.map((row) => row.id));
    for (const kind of ["http", "mqtt", "amqp"] as const) {
      expect(
        arrivals[kind].unexpected.filter((id) => !recordedIds.has(id)),
        `${kind} messages with unknown delivery ids`,
      ).toEqual([]);
    }
    // A trigger whose 202 never reached its sender but was published must be delivered all the same.
    const lostEventIds = events.filter((event) => unanswered.some((t) => t.index === (JSON.parse(event.body) as { n: number }).n)).map((event) => event.id);
    if (lostEventIds.length > 0) {
      const lost = await waitFor(
        async () => {
          const found = await app.db.selectFrom("deliveries").select(["id", "status"]).where("event_id", "in", lostEventIds).execute();
          return found.length === lostEventIds.length * 3 && found.every((row) => row.status !== "queued") ? found : undefined;
        },
        { timeoutMs: 60_000, what: "the deliveries of triggers whose answer was lost" },
      );
      expect(lost.filter((row) => row.status !== "succeeded")).toEqual([]);
      const everything = new Set([...received.http(), ...received.mqtt(), ...received.amqp()]);
      expect(lost.filter((row) => !everything.has(row.id))).toEqual([]);
    }
  });
});
