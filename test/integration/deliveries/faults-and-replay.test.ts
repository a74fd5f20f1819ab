import { describe, expect, it } from "vitest";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination, listDeliveries, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { deadUrl, withEnv } from "../../support/env-override";
import { startQstashFault, type FaultExchange } from "../../support/qstash-fault";
import { useSink } from "../../support/sink";

const app = useApp();
const sink = useSink();

interface TriggerAnswer {
  eventId: string;
  deliveries: Array<{ id: string; destinationId: string; messageId: string }>;
}

interface PlannedJobs {
  eventId: string;
  jobs: Array<{ deliveryId: string; destinationId: string; eventId: string }>;
}

/** The jobs of the first batch that reached QStash's front: what the trigger planned to publish. */
function plannedJobsOf(exchanges: FaultExchange[]): PlannedJobs {
  const batch = exchanges.find((exchange) => exchange.path === "/v2/batch");
  if (!batch) throw new Error("no batch reached QStash");
  const jobs = (JSON.parse(batch.body) as Array<{ body: string }>).map((entry) => JSON.parse(entry.body) as PlannedJobs["jobs"][number]);
  return { eventId: jobs[0]?.eventId ?? "", jobs };
}

async function triggerThroughFault(mode: "drop" | "lose-answer", triggerUrl: string, key: string) {
  const fault = await startQstashFault(mode);
  try {
    const first = await withEnv({ QSTASH_URL: fault.url }, () => fetch(triggerUrl, { method: "POST", body: "{}", headers: { "idempotency-key": key } }));
    return { first, planned: plannedJobsOf(fault.exchanges), exchanges: fault.exchanges };
  } finally {
    await fault.close();
  }
}

/** The retry with the same key, through the real QStash: accepted anew, under the planned ids. */
async function expectRetryAccepted(triggerUrl: string, key: string, planned: PlannedJobs): Promise<TriggerAnswer> {
  const retried = await fetch(triggerUrl, { method: "POST", body: "{}", headers: { "idempotency-key": key } });
  expect(retried.status).toBe(202);
  expect(retried.headers.get("idempotent-replayed")).toBeNull();
  const answer = (await retried.json()) as TriggerAnswer;
  expect(answer.eventId).toBe(planned.eventId);
  expect(answer.deliveries.map(({ id, destinationId }) => ({ id, destinationId }))).toEqual(planned.jobs.map((job) => ({ id: job.deliveryId, destinationId: job.destinationId })));
  return answer;
}

describe("faults", () => {
  it("QStash unreachable → 503 with Retry-After, nothing accepted; the retry is accepted under the ids planned the first time", async () => {
    const callback = await createCallback(app.url, {
      name: "qstash-down",
      destinations: [httpDestination(`${sink.url}/qd1`), httpDestination(`${sink.url}/qd2`)],
    });
    const key = `qd-${Date.now()}`;
    const { first, planned } = await triggerThroughFault("drop", callback.triggerUrl, key);
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("5");
    expect(((await first.json()) as { error: { code: string } }).error.code).toBe("queue_unavailable");
    const answer = await expectRetryAccepted(callback.triggerUrl, key, planned);
    for (const delivery of answer.deliveries) await waitForDelivery(app.url, delivery.id, ["succeeded"]);
    expect(sink.requests.filter((request) => request.path === "/qd1")).toHaveLength(1);
    expect(sink.requests.filter((request) => request.path === "/qd2")).toHaveLength(1);
    expect(await listDeliveries(app.url, `callbackId=${callback.id}`)).toHaveLength(2);
  });

  it("QStash took the batch but its answer was lost → 503; the retry republishes the same ids and each destination gets it once", async () => {
    const callback = await createCallback(app.url, {
      name: "qstash-lost-answer",
      destinations: [httpDestination(`${sink.url}/la1`), httpDestination(`${sink.url}/la2`)],
    });
    const key = `la-${Date.now()}`;
    const { first, planned, exchanges } = await triggerThroughFault("lose-answer", callback.triggerUrl, key);
    expect(first.status).toBe(503);
    expect(exchanges.map((exchange) => exchange.answer?.status)).toContain(201);
    const taken = JSON.parse(exchanges[0]?.answer?.body ?? "[]") as Array<{ messageId: string }>;
    const answer = await expectRetryAccepted(callback.triggerUrl, key, planned);
    // QStash deduplicated the retry into the messages it took the first time.
    expect(answer.deliveries.map((delivery) => delivery.messageId)).toEqual(taken.map((message) => message.messageId));
    for (const delivery of answer.deliveries) await waitForDelivery(app.url, delivery.id, ["succeeded"]);
    expect(sink.requests.filter((request) => request.path === "/la1")).toHaveLength(1);
    expect(sink.requests.filter((request) => request.path === "/la2")).toHaveLength(1);
    const events = await app.db.selectFrom("events").select("id").where("callback_id", "=", callback.id).execute();
    expect(events.map((event) => event.id)).toEqual([planned.eventId]);
    const rows = await app.db.selectFrom("deliveries").select(["id", "event_id"]).where("callback_id", "=", callback.id).execute();
    expect(rows.map((row) => row.id).sort()).toEqual(planned.jobs.map((job) => job.deliveryId).sort());
    expect(new Set(rows.map((row) => row.event_id))).toEqual(new Set([planned.eventId]));
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
