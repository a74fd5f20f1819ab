// Fault soak: each case breaks one thing the pipeline depends on — the MQTT broker, PostgreSQL,
// QStash, Redis, a receiver that never answers — under many concurrent triggers, and checks
// that nothing a sender was told is accepted gets lost (at-least-once), and nothing refused is
// half-recorded.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/scripts/lib/net-tools";
import { waitFor } from "../support/api";
import { closeDb } from "../support/close-db";
import { deadUrl, withEnv } from "../support/env-override";
import { createCallback, getDelivery, httpDestination } from "../support/fixtures";
import { useApp } from "../support/harness";
import { testConfig } from "../support/ports";
import { startSink, type Sink } from "../support/sink";
import { collectMqtt } from "./collectors";
import { startHttpGate, startMosquitto, startTcpGate, type Exchange, type HttpGate } from "./fault-gates";
import { countBy, fireTriggers, log, reconcileArrivals, selectAttempts, waitForTerminal, type FiredTrigger } from "./soak-support";
import { startSilentServer } from "../support/silent-server";

const app = useApp();
let sink: Sink;

beforeAll(async () => {
  sink = await startSink();
});
afterAll(async () => {
  await sink?.close();
});

const accepted = (fired: FiredTrigger[]) => fired.filter((trigger) => trigger.status === 202);
const idsOf = (fired: FiredTrigger[]) => fired.flatMap((trigger) => trigger.deliveryIds);
const sinkIds = (path: string) => sink.requests.filter((request) => request.path === path).map((request) => String(request.headers["webhook-id"]));
/** The app's answer to a QStash failure callback. */
const failureAnswerIn = (exchange: Exchange) => JSON.parse(exchange.body) as { deliveryId: string; status: string };
const deliveryIdIn = (exchange: Exchange) => /"deliveryId":"([^"]+)"/.exec(exchange.requestBody)?.[1] ?? "";

/** Runs `use` with the app's public URL pointed at a recording gate, so QStash's calls to it are seen. */
async function observingQstashCalls<T>(use: (gate: HttpGate) => Promise<T>): Promise<T> {
  const gate = await startHttpGate(app.url);
  try {
    return await withEnv({ APP_URL: gate.url }, () => use(gate));
  } finally {
    await gate.close();
  }
}

describe("faults under concurrent load (no accepted trigger is lost)", () => {
  it("MQTT broker killed -9 mid-load and restarted: every delivery succeeds and the subscriber gets every id", async () => {
    const broker = await startMosquitto(await freePort());
    const topic = `switchyard-soak/${randomUUID()}/restart`;
    const subscriber = await collectMqtt(broker.url, topic);
    try {
      const callback = await createCallback(app.url, {
        name: "soak-broker-restart",
        retries: 20,
        destinations: [{ kind: "mqtt", name: "own mosquitto", failureThreshold: null, config: { url: broker.url, topic, qos: 1, timeoutMs: 3_000 } }],
      });
      const firing = fireTriggers(callback.triggerUrl, { count: 200, concurrency: 50 });
      // Kill once the subscriber has seen a fair share, while the rest is still in flight.
      await waitFor(async () => subscriber.deliveryIds.length >= 40, { timeoutMs: 60_000, intervalMs: 5, what: "40 messages before the kill" });
      const receivedBeforeKill = subscriber.deliveryIds.length;
      const killSentAt = Date.now();
      await broker.kill();
      const deadAt = Date.now();
      // The outage itself is the fault: 1.5 s without any broker.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await broker.start();
      const restartedAt = Date.now();
      const fired = await firing;
      expect(countBy(fired, (trigger) => String(trigger.status))).toEqual({ "202": 200 });
      const ids = idsOf(fired);
      const rows = await waitForTerminal(app.db, ids, 90_000);
      const attempts = await selectAttempts(app.db, ids);
      const failedAttempts = attempts.filter((attempt) => attempt.outcome !== "succeeded");
      await waitFor(async () => reconcileArrivals(ids, subscriber.deliveryIds).missing.length === 0, { timeoutMs: 10_000, what: "every id at the subscriber" }).catch(() => undefined);
      const arrivals = reconcileArrivals(ids, subscriber.deliveryIds);
      // kill -9 can lose what Mosquitto had just acknowledged (PUBACK sent) but neither forwarded
      // nor persisted: a broker's durability limit no publisher can see. Such a message's
      // successful attempt started on the old broker, in the moment before it died. Anything
      // else missing is Switchyard's loss.
      const success = (id: string) => attempts.find((attempt) => attempt.delivery_id === id && attempt.outcome === "succeeded");
      const crashWindowMs = 200;
      const inCrashWindow = (id: string) => {
        const startedAt = success(id)?.started_at.getTime() ?? Number.NaN;
        return startedAt >= killSentAt - crashWindowMs && startedAt <= deadAt;
      };
      const lostByBroker = arrivals.missing.filter(inCrashWindow);
      const explain = (id: string) => `${id} (success started ${(success(id)?.started_at.getTime() ?? Number.NaN) - killSentAt} ms after the kill)`;
      log(
        `broker restart: 200 accepted, killed -9 after ${receivedBeforeKill} received, back ${restartedAt - killSentAt} ms later; ` +
          `deliveries ${JSON.stringify(countBy(rows, (row) => row.status))}; attempts ${attempts.length} (${failedAttempts.length} retryable: ` +
          `${JSON.stringify(countBy(failedAttempts, (attempt) => (attempt.error ?? "").replace(/[:(].*$/, "")))}); subscriber got ` +
          `${arrivals.received} distinct, ${arrivals.duplicates} duplicates, ${arrivals.missing.length} missing` +
          `${arrivals.missing.length > 0 ? ` [${arrivals.missing.map(explain).join(", ")}]` : ""}; ` +
          `${lostByBroker.length} acknowledged by the broker within ${crashWindowMs} ms before kill -9; subscriber reconnects ${subscriber.reconnects} (session resumed: ${JSON.stringify(subscriber.sessionsResumed)})`,
      );
      expect(receivedBeforeKill).toBeLessThan(200);
      // The subscriber's session (subscription and queued messages) survived the kill.
      expect(subscriber.sessionsResumed.length).toBeGreaterThan(0);
      expect(subscriber.sessionsResumed.every(Boolean)).toBe(true);
      // The kill hit deliveries in flight or queued: some attempts failed and were retried.
      expect(failedAttempts.length).toBeGreaterThan(0);
      expect(failedAttempts.every((attempt) => attempt.outcome === "retryable")).toBe(true);
      expect(rows.filter((row) => row.status !== "succeeded")).toEqual([]);
      expect(arrivals.missing.filter((id) => !inCrashWindow(id)).map(explain)).toEqual([]);
      expect(arrivals.unexpected).toEqual([]);
    } finally {
      await subscriber.close();
      await broker.close();
    }
  });

  it("PostgreSQL unreachable: triggers still get 202, the delivery function answers 5xx, QStash retries, all recorded once it is back", async () => {
    const pgGate = await startTcpGate(testConfig().ports.wsProxy);
    try {
      await withEnv({ NEON_WS_PROXY: pgGate.url }, () =>
        observingQstashCalls(async (appGate) => {
          await closeDb(); // the next query opens a pool through the gate
          const callback = await createCallback(app.url, {
            name: "soak-postgres-down",
            retries: 20,
            destinations: [httpDestination(`${sink.url}/pg-down`, { timeoutMs: 5_000 })],
          });
          // Warm the trigger cache (and prove the path works) before Postgres goes away.
          const [warm] = await fireTriggers(callback.triggerUrl, { count: 1, concurrency: 1 });
          await waitForTerminal(app.db, warm?.deliveryIds ?? [], 10_000);
          pgGate.shut();
          const fired = await fireTriggers(callback.triggerUrl, { count: 100, concurrency: 25 });
          expect(countBy(fired, (trigger) => String(trigger.status))).toEqual({ "202": 100 });
          const ids = idsOf(fired);
          // The outage lasts until the delivery function has refused every one of them.
          const refusedIds = () => new Set(appGate.exchanges.filter((e) => e.path === "/api/deliver" && e.status >= 500).map(deliveryIdIn));
          await waitFor(async () => ids.every((id) => refusedIds().has(id)), { timeoutMs: 30_000, what: "a 5xx for every delivery while Postgres is down" });
          const sentWhileDown = sinkIds("/pg-down").filter((id) => ids.includes(id));
          const refusedAnswers = appGate.exchanges.filter((e) => e.path === "/api/deliver" && e.status >= 500);
          pgGate.open();
          const rows = await waitForTerminal(app.db, ids, 60_000);
          const attempts = await selectAttempts(app.db, ids);
          const firstAttempts = attempts.filter((attempt) => attempt.attempt === 1);
          const received = reconcileArrivals(ids, sinkIds("/pg-down"));
          log(
            `postgres down: accepted 100 while down, ${refusedAnswers.length} deliver calls answered ` +
              `${JSON.stringify(countBy(refusedAnswers, (e) => String(e.status)))}, ${pgGate.refused} connections refused; ` +
              `after restore ${JSON.stringify(countBy(rows, (row) => row.status))}, attempts recorded ${attempts.length}, ` +
              `first recorded at Upstash-Retried ${JSON.stringify(countBy(firstAttempts, (a) => String(a.qstash_retried)))}; ` +
              `sink ${received.received} distinct, ${received.duplicates} duplicates, ${received.missing.length} missing`,
          );
          expect(sentWhileDown).toEqual([]); // nothing is sent before its delivery row can be written
          expect(rows.filter((row) => row.status !== "succeeded")).toEqual([]);
          expect(firstAttempts).toHaveLength(100);
          // Every first recorded attempt came from a QStash retry: the earlier calls got 5xx.
          expect(firstAttempts.filter((attempt) => (attempt.qstash_retried ?? 0) < 1)).toEqual([]);
          for (const row of rows) expect(attempts.filter((attempt) => attempt.delivery_id === row.id)).toHaveLength(row.attempts);
          expect(received.missing).toEqual([]);
          const sample = await getDelivery(app.url, ids[0] ?? "");
          expect(sample.attemptsLog.at(-1)?.outcome).toBe("succeeded");
        }),
      );
    } finally {
      pgGate.open();
      await closeDb(); // the next query goes through the run's own proxy again
      await pgGate.close();
    }
  });

  it("QStash unreachable, then back: every 202 has its deliveries, every 503 has none and its idempotency key can be retried", async () => {
    const qstashGate = await startHttpGate(`http://127.0.0.1:${testConfig().ports.qstash}`);
    qstashGate.shut();
    const runId = randomUUID().slice(0, 8);
    const keyOf = (index: number) => `soak-qs-${runId}-${index}`;
    try {
      await withEnv({ QSTASH_URL: qstashGate.url }, async () => {
        const callback = await createCallback(app.url, { name: "soak-qstash-down", retries: 5, destinations: [httpDestination(`${sink.url}/qs-down`)] });
        const fired = await fireTriggers(callback.triggerUrl, {
          count: 300,
          concurrency: 30,
          headers: (index) => ({ "idempotency-key": keyOf(index) }),
          // Down for the first 100 answers, then back for the rest of the burst.
          onAnswer: (_fired, answered) => answered === 100 && qstashGate.open(),
        });
        const ok = accepted(fired);
        const refused = fired.filter((trigger) => trigger.status === 503);
        expect(ok.length + refused.length, JSON.stringify(countBy(fired, (trigger) => String(trigger.status)))).toBe(300);
        expect(refused.length).toBeGreaterThanOrEqual(100);
        expect(ok.length).toBeGreaterThan(0);
        expect(refused.every((trigger) => trigger.retryAfter === "5")).toBe(true);
        const batches = qstashGate.exchanges.filter((e) => e.method === "POST" && e.path === "/v2/batch");
        // One batch per accepted trigger reached QStash, and none for a refused one.
        expect(batches.filter((e) => e.status < 300)).toHaveLength(ok.length);
        expect(batches).toHaveLength(ok.length);
        const ids = idsOf(ok);
        const rows = await waitForTerminal(app.db, ids, 60_000);
        expect(rows.filter((row) => row.status !== "succeeded")).toEqual([]);
        const events = await app.db.selectFrom("events").select(["id", "body"]).where("callback_id", "=", callback.id).execute();
        const eventIndexes = events.map((event) => (JSON.parse(event.body) as { n: number }).n).sort((a, b) => a - b);
        const deliveredIndexes = sink.requests
          .filter((request) => request.path === "/qs-down")
          .map((request) => (JSON.parse(request.body) as { request: { body: { n: number } } }).request.body.n);
        const refusedIndexes = new Set(refused.map((trigger) => trigger.index));
        const deliveryRows = await app.db.selectFrom("deliveries").select("id").where("callback_id", "=", callback.id).execute();
        log(
          `qstash down: 300 fired (concurrency 30), ${ok.length} accepted, ${refused.length} refused 503 ` +
            `(${qstashGate.refused} publish connections dropped), ${batches.length} batches reached QStash; ` +
            `events ${events.length}, deliveries ${deliveryRows.length} ${JSON.stringify(countBy(rows, (row) => row.status))}, ` +
            `sink got ${deliveredIndexes.length} (${deliveredIndexes.filter((n) => refusedIndexes.has(n)).length} of refused triggers)`,
        );
        expect(qstashGate.refused).toBeGreaterThan(0);
        expect(eventIndexes).toEqual(ok.map((trigger) => trigger.index));
        expect(deliveryRows.map((row) => row.id).sort()).toEqual([...ids].sort());
        expect(deliveredIndexes.filter((n) => refusedIndexes.has(n))).toEqual([]);
        expect(reconcileArrivals(ids, sinkIds("/qs-down")).missing).toEqual([]);
        // The refused ones' idempotency keys were released (their planned ids kept): a retry is accepted...
        const retried = await fireTriggers(callback.triggerUrl, {
          count: refused.length,
          concurrency: 30,
          body: (index) => ({ n: refused[index]?.index }),
          headers: (index) => ({ "idempotency-key": keyOf(refused[index]?.index ?? -1) }),
        });
        expect(countBy(retried, (trigger) => String(trigger.status))).toEqual({ "202": refused.length });
        const retriedRows = await waitForTerminal(app.db, idsOf(retried), 60_000);
        expect(retriedRows.filter((row) => row.status !== "succeeded")).toEqual([]);
        // ...while an accepted one's key still answers with the first answer and publishes nothing.
        const replay = await fetch(callback.triggerUrl, { method: "POST", body: JSON.stringify({ n: ok[0]?.index }), headers: { "idempotency-key": keyOf(ok[0]?.index ?? -1) } });
        expect(replay.headers.get("idempotent-replayed")).toBe("true");
        expect(((await replay.json()) as { eventId: string }).eventId).toBe(ok[0]?.eventId);
      });
    } finally {
      await qstashGate.close();
    }
  });

  it("Redis unreachable: many concurrent triggers are still accepted (cache bypassed, limits open) and delivered", async () => {
    const callback = await createCallback(app.url, {
      name: "soak-redis-down",
      rateLimitPerMinute: 5,
      destinations: [httpDestination(`${sink.url}/redis-down`)],
    });
    const runId = randomUUID().slice(0, 8);
    const fired = await withEnv({ UPSTASH_REDIS_REST_URL: deadUrl }, () =>
      fireTriggers(callback.triggerUrl, { count: 200, concurrency: 50, headers: (index) => ({ "idempotency-key": `soak-rd-${runId}-${index}` }) }),
    );
    const started = Date.now();
    expect(countBy(fired, (trigger) => String(trigger.status))).toEqual({ "202": 200 });
    const ids = idsOf(fired);
    const rows = await waitForTerminal(app.db, ids, 60_000);
    const received = reconcileArrivals(ids, sinkIds("/redis-down"));
    // With Redis back, the same callback's limit of 5 a minute applies again.
    const after = await fireTriggers(callback.triggerUrl, { count: 8, concurrency: 1 });
    log(
      `redis down: 200 fired (concurrency 50, limit 5/min), ${JSON.stringify(countBy(fired, (t) => String(t.status)))}; ` +
        `deliveries ${JSON.stringify(countBy(rows, (row) => row.status))} within ${Date.now() - started} ms; ` +
        `sink ${received.received} distinct, ${received.duplicates} duplicates, ${received.missing.length} missing; ` +
        `Redis back: ${JSON.stringify(countBy(after, (t) => String(t.status)))}`,
    );
    expect(rows.filter((row) => row.status !== "succeeded")).toEqual([]);
    expect(received.missing).toEqual([]);
    expect(after.filter((trigger) => trigger.status === 429).length).toBeGreaterThan(0);
  });

  it("a receiver that never answers: every attempt times out, the delivery ends dead, and the failure callback leaves it dead", async () => {
    const silent = await startSilentServer();
    try {
      await observingQstashCalls(async (appGate) => {
        const retries = 3;
        const callback = await createCallback(app.url, {
          name: "soak-sink-timeout",
          retries,
          destinations: [httpDestination(`http://127.0.0.1:${silent.port}/never`, { timeoutMs: 200 })].map((d) => ({ ...d, failureThreshold: null })),
        });
        const fired = await fireTriggers(callback.triggerUrl, { count: 30, concurrency: 30 });
        expect(countBy(fired, (trigger) => String(trigger.status))).toEqual({ "202": 30 });
        const ids = idsOf(fired);
        const rows = await waitForTerminal(app.db, ids, 60_000);
        // QStash gave up on each: the failure callback reached the app and was acknowledged.
        const callbacksFor = () => appGate.exchanges.filter((e) => e.path === "/api/deliver/failed");
        await waitFor(async () => new Set(callbacksFor().map((e) => failureAnswerIn(e).deliveryId)).size === ids.length, {
          timeoutMs: 15_000,
          what: "a failure callback per delivery",
        });
        const attempts = await selectAttempts(app.db, ids);
        const after = await waitForTerminal(app.db, ids, 1_000);
        log(
          `sink timeout: 30 fired, deliveries ${JSON.stringify(countBy(rows, (row) => row.status))}, attempts ${attempts.length} ` +
            `${JSON.stringify(countBy(attempts, (a) => `${a.outcome}: ${a.error ?? ""}`))}, ${silent.connections} connections to the silent receiver; ` +
            `failure callbacks ${JSON.stringify(countBy(callbacksFor(), (e) => `${e.status} ${failureAnswerIn(e).status}`))}`,
        );
        expect(rows.filter((row) => row.status !== "dead")).toEqual([]);
        expect(rows.filter((row) => row.attempts !== retries + 1)).toEqual([]);
        expect(attempts).toHaveLength(ids.length * (retries + 1));
        expect(attempts.filter((attempt) => attempt.outcome !== "retryable" || !/^Timeout: timed out after 200 ms/.test(attempt.error ?? ""))).toEqual([]);
        expect(callbacksFor().filter((e) => e.status !== 200)).toEqual([]);
        expect(after.filter((row) => row.status !== "dead" || !/^Timeout/.test(row.last_error ?? ""))).toEqual([]);
        expect(silent.connections).toBeGreaterThanOrEqual(ids.length * (retries + 1));
      });
    } finally {
      await silent.close();
    }
  });
});
