import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination, listDeliveries, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { deadUrl, withEnv } from "../../support/env-override";
import { startSink, type Sink } from "../../support/sink";

const app = useApp();
let sink: Sink;

beforeAll(async () => {
  sink = await startSink();
});
afterAll(async () => {
  await sink.close();
});

interface TriggerAnswer {
  eventId: string;
  deliveries: Array<{ id: string; destinationId: string; messageId: string }>;
}

describe("faults", () => {
  it("QStash down → 503 with Retry-After, nothing accepted, and the idempotency key stays free", async () => {
    const callback = await createCallback(app.url, { name: "qstash-down", destinations: [httpDestination(`${sink.url}/qd`)] });
    const key = `qd-${Date.now()}`;
    const down = await withEnv({ QSTASH_URL: deadUrl }, () =>
      fetch(callback.triggerUrl, { method: "POST", body: "{}", headers: { "idempotency-key": key } }),
    );
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("5");
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe("queue_unavailable");
    const retried = await fetch(callback.triggerUrl, { method: "POST", body: "{}", headers: { "idempotency-key": key } });
    expect(retried.status).toBe(202);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    const answer = (await retried.json()) as TriggerAnswer;
    await waitForDelivery(app.url, answer.deliveries[0]?.id ?? "", ["succeeded"]);
    expect(await listDeliveries(app.url, `callbackId=${callback.id}`)).toHaveLength(1);
  });

  it("Redis down → the trigger is still accepted and delivered (cache bypassed, limits open)", async () => {
    const callback = await createCallback(app.url, {
      name: "redis-down",
      rateLimitPerMinute: 1,
      destinations: [httpDestination(`${sink.url}/rd`)],
    });
    const answers = await withEnv({ UPSTASH_REDIS_REST_URL: deadUrl }, async () => {
      const first = await fetch(callback.triggerUrl, { method: "POST", body: "{}" });
      const second = await fetch(callback.triggerUrl, { method: "POST", body: "{}" });
      return [first, second];
    });
    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    for (const answer of answers) {
      const body = (await answer.json()) as TriggerAnswer;
      await waitForDelivery(app.url, body.deliveries[0]?.id ?? "", ["succeeded"]);
    }
  });

  it("a configuration change reaches the next trigger at once (cache invalidated)", async () => {
    const callback = await createCallback(app.url, { name: "cache", destinations: [httpDestination(`${sink.url}/c1`)] });
    expect((await fetch(callback.triggerUrl, { method: "POST", body: "{}" })).status).toBe(202);
    await call(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { enabled: false } });
    expect((await fetch(callback.triggerUrl, { method: "POST", body: "{}" })).status).toBe(404);
    await call(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { enabled: true } });
    const added = await call<{ id: string }>(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, {
      body: httpDestination(`${sink.url}/c2`),
    });
    const answer = (await (await fetch(callback.triggerUrl, { method: "POST", body: "{}" })).json()) as TriggerAnswer;
    expect(answer.deliveries.map((delivery) => delivery.destinationId)).toContain(added.body.id);
    const rotated = await call<{ token: string }>(app.url, "POST", `/api/callbacks/${callback.id}/rotate-token`);
    expect((await fetch(callback.triggerUrl, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${app.url}/api/trigger/${rotated.body.token}`, { method: "POST", body: "{}" })).status).toBe(202);
  });
});

describe("replay and test fire", () => {
  it("replays a delivery as a new delivery of the same event", async () => {
    const callback = await createCallback(app.url, { name: "replay", destinations: [httpDestination(`${sink.url}/replay`)] });
    const answer = (await (await fetch(callback.triggerUrl, { method: "POST", body: '{"a":1}' })).json()) as TriggerAnswer;
    const original = answer.deliveries[0]?.id ?? "";
    await waitForDelivery(app.url, original, ["succeeded"]);
    const replay = await call<{ deliveryId: string; replayOf: string }>(app.url, "POST", `/api/deliveries/${original}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body.replayOf).toBe(original);
    const detail = await waitForDelivery(app.url, replay.body.deliveryId, ["succeeded"]);
    expect(detail.eventId).toBe(answer.eventId);
    expect(detail.replayOf).toBe(original);
    const hits = sink.requests.filter((request) => request.path === "/replay");
    expect(hits.map((hit) => hit.headers["webhook-id"])).toEqual([original, replay.body.deliveryId]);
    expect(JSON.parse(hits[1]?.body ?? "{}")).toMatchObject({ eventId: answer.eventId, request: { body: { a: 1 } } });
  });

  it("replay of an unknown delivery is 404", async () => {
    expect((await call(app.url, "POST", "/api/deliveries/01a22200-0000-7000-8000-000000000000/replay")).status).toBe(404);
  });

  it("fires a test trigger through the queue with the given body", async () => {
    const callback = await createCallback(app.url, { name: "test-fire", destinations: [httpDestination(`${sink.url}/tf`)] });
    const fired = await call<TriggerAnswer>(app.url, "POST", `/api/callbacks/${callback.id}/test`, { body: { body: { sample: true } } });
    expect(fired.status).toBe(202);
    await waitForDelivery(app.url, fired.body.deliveries[0]?.id ?? "", ["succeeded"]);
    const hit = await waitFor(async () => sink.requests.find((request) => request.path === "/tf"));
    expect(JSON.parse(hit.body)).toMatchObject({ request: { body: { sample: true }, headers: { "user-agent": "Switchyard-Test" } } });
  });

  it("pages the delivery log with a keyset cursor and filters by status", async () => {
    const callback = await createCallback(app.url, { name: "paging", destinations: [httpDestination(`${sink.url}/pg`)] });
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const answer = (await (await fetch(callback.triggerUrl, { method: "POST", body: "{}" })).json()) as TriggerAnswer;
      ids.push(answer.deliveries[0]?.id ?? "");
    }
    for (const id of ids) await waitForDelivery(app.url, id, ["succeeded"]);
    const first = await call<{ items: Array<{ id: string }>; nextCursor: string }>(app.url, "GET", `/api/deliveries?callbackId=${callback.id}&limit=2`);
    expect(first.body.items.map((item) => item.id)).toEqual([ids[4], ids[3]]);
    const second = await call<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      app.url,
      "GET",
      `/api/deliveries?callbackId=${callback.id}&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    expect((await listDeliveries(app.url, `callbackId=${callback.id}&status=failed`)).length).toBe(0);
    const bad = await call<{ error: { field: string } }>(app.url, "GET", "/api/deliveries?status=exploded");
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe("status");
  });
});
