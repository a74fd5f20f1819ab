// A keyed FIFO destination's queues are bounded (issue #16's per-key FIFO, found in the #11 audit):
// the ordering key is rendered from request data, so whoever holds a trigger URL chooses its
// values. One queue per value let a sender create queues up to the plan's limit, after which every
// FIFO trigger on the account that needed a new queue answered 503. The values are hashed into
// `orderingPartitions` queues instead: a value keeps its order, and the queues stay few. Queues
// named per value before the change are still held, counted, released and emptied on delete.
import { createHash } from "node:crypto";
import { Client } from "@upstash/qstash";
import { describe, expect, it } from "vitest";
import { devCredentials, startQstashServer } from "@/scripts/qstash-server";
import { hashToken } from "@/lib/crypto/tokens";
import { getDb } from "@/lib/db";
import { queueNameOf } from "@/lib/qstash/lanes";
import { buildJobs, publishOrRecord } from "@/lib/triggers/accept-trigger";
import { findTriggerConfig } from "@/lib/triggers/callback-cache";
import { call, expect422, waitFor } from "../../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../../support/fixtures";
import { countConfigRows, localQstashClient, useApp } from "../../../support/harness";
import { withEnv } from "../../../support/env-override";
import { deliveryFor, fire, type TriggerAnswer } from "../../../support/lifecycle";
import { useSink, type SinkRequest } from "../../../support/sink";

const app = useApp();
const sink = useSink();
const runQstash = localQstashClient({ enableTelemetry: false, retry: false });

const on = (path: string) => sink.requests.filter((request) => request.path === path);
const triggerBody = (request: SinkRequest) => (JSON.parse(request.body) as { request: { body: { n: number; customerId: string } } }).request.body;
const keyed = { ordering: "fifo", orderingKey: "{body.customerId}" };

interface View {
  ordering: string;
  orderingKey: string | null;
  orderingPartitions: number | null;
  paused: boolean;
  heldDeliveries?: number | null;
}

async function view(id: string): Promise<View> {
  const result = await call<View>(app.url, "GET", `/api/destinations/${id}`);
  expect(result.status, result.text).toBe(200);
  return result.body;
}

async function post(path: string): Promise<void> {
  const result = await call(app.url, "POST", path);
  expect(result.status, result.text).toBe(200);
}

/** Triggers ten at a time (their values are distinct, so their order among themselves does not matter); every answer's status. */
async function fireAll(triggerUrl: string, bodies: Array<Record<string, unknown>>): Promise<number[]> {
  const statuses: number[] = [];
  for (let start = 0; start < bodies.length; start += 10) {
    const answers = await Promise.all(bodies.slice(start, start + 10).map((body) => call(triggerUrl, "POST", "", { body, token: null })));
    statuses.push(...answers.map((answer) => answer.status));
  }
  return statuses;
}

/** The queues QStash has under a destination's prefix, partitions and pre-partition per-value queues alike. */
async function destinationQueues(client: Client, destinationId: string) {
  return (await client.queue().list()).filter((queue) => queue.name.startsWith(`sy-dest-${destinationId}.`));
}

/** The name the code before partitions gave the queue of one key value. */
const perValueQueue = (destinationId: string, value: string) => `sy-dest-${destinationId}.${createHash("sha256").update(value).digest("hex").slice(0, 16)}`;

/**
 * A held delivery as the code before partitions left it: in its value's own queue, created
 * paused. The message QStash holds for it is moved there unchanged (same url and job body).
 */
async function moveToPerValueQueue(answer: TriggerAnswer, destinationId: string, value: string): Promise<string> {
  const delivery = answer.deliveries.find((item) => item.destinationId === destinationId);
  if (!delivery) throw new Error("no delivery for the destination");
  const message = await runQstash.messages.get(delivery.messageId);
  expect(message.queueName).toMatch(new RegExp(`^sy-dest-${destinationId}\\.\\d+$`));
  expect((await runQstash.messages.cancel(delivery.messageId)).cancelled).toBe(1);
  const queueName = perValueQueue(destinationId, value);
  const queue = runQstash.queue({ queueName });
  await queue.upsert({ parallelism: 1, paused: true });
  await queue.enqueue({ url: message.url, body: message.body, headers: { "content-type": "application/json" }, retries: 1 });
  return queueName;
}

describe("a keyed FIFO destination's partitions", () => {
  it("hashes 50 key values into at most 4 queues, delivers all 100 triggers once, and keeps each value's order", async () => {
    const callback = await createCallback(app.url, { name: "partitions-50", destinations: [{ ...httpDestination(`${sink.url}/p50`), ...keyed, orderingPartitions: 4 }] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const values = Array.from({ length: 50 }, (_, index) => `customer-${index}`);
    // Every value's first trigger is accepted before its second.
    for (const n of [0, 1])
      expect(
        new Set(
          await fireAll(
            callback.triggerUrl,
            values.map((customerId) => ({ n, customerId })),
          ),
        ),
      ).toEqual(new Set([202]));

    const queues = await destinationQueues(runQstash, destinationId);
    expect(queues.length).toBeGreaterThan(0);
    expect(queues.length).toBeLessThanOrEqual(4);
    for (const queue of queues) expect(queue.name).toMatch(new RegExp(`^sy-dest-${destinationId}\\.[0-3]$`));

    await waitFor(async () => on("/p50").length >= 100, { timeoutMs: 60_000, what: "100 keyed deliveries" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const received = on("/p50").map(triggerBody);
    expect(received).toHaveLength(100);
    for (const customerId of values) expect(received.filter((body) => body.customerId === customerId).map((body) => body.n)).toEqual([0, 1]);
    expect((await destinationQueues(runQstash, destinationId)).length).toBeLessThanOrEqual(4);
  });

  it("on the Free plan (10 queues), 100 distinct key values from one sender leave another callback's FIFO trigger working", async () => {
    const free = await startQstashServer({ port: 0, plan: "free" });
    try {
      const client = new Client({ baseUrl: free.url, token: devCredentials.token, enableTelemetry: false, retry: false });
      await withEnv({ QSTASH_URL: free.url }, async () => {
        const flooded = await createCallback(app.url, { name: "partitions-flooded", destinations: [{ ...httpDestination(`${sink.url}/flooded`), ...keyed }] });
        const other = await createCallback(app.url, { name: "partitions-other", destinations: [{ ...httpDestination(`${sink.url}/other`), ordering: "fifo" }] });
        const floodedId = flooded.destinations[0]?.id ?? "";
        // One queue per value would take the plan's 10 by the 10th value: the 11th and every new queue after it refused (412), the trigger 503.
        const statuses = await fireAll(
          flooded.triggerUrl,
          Array.from({ length: 100 }, (_, n) => ({ n, customerId: `flood-${n}` })),
        );
        expect(statuses.filter((status) => status !== 202)).toEqual([]);
        expect((await destinationQueues(client, floodedId)).length).toBeLessThanOrEqual(4);

        const answer = await call<TriggerAnswer>(other.triggerUrl, "POST", "", { body: { n: 1, customerId: "other" }, token: null });
        expect(answer.status, answer.text).toBe(202);
        const otherId = other.destinations[0]?.id ?? "";
        expect((await waitForDelivery(app.url, deliveryFor(answer.body, otherId), ["succeeded"], 30_000)).attempts).toBe(1);
        expect(on("/other")).toHaveLength(1);
        expect((await client.queue().list()).length).toBeLessThanOrEqual(5);
      });
    } finally {
      await free.close();
    }
  });

  it("holds, counts and releases every partition and a queue named per value before partitions, and a delete empties them", async () => {
    const callback = await createCallback(app.url, { name: "partitions-hold", destinations: [{ ...httpDestination(`${sink.url}/p-hold`), ...keyed, orderingPartitions: 2 }] });
    const destinationId = callback.destinations[0]?.id ?? "";
    await post(`/api/destinations/${destinationId}/pause`);
    const answers: TriggerAnswer[] = [];
    for (let n = 0; n < 6; n += 1) answers.push(await fire(callback.triggerUrl, { n, customerId: `c-${n}` }));
    const legacy = await fire(callback.triggerUrl, { n: 6, customerId: "before-partitions" });
    const legacyQueue = await moveToPerValueQueue(legacy, destinationId, "before-partitions");

    const queues = await destinationQueues(runQstash, destinationId);
    expect(queues.map((queue) => queue.name).sort()).toEqual([`sy-dest-${destinationId}.0`, `sy-dest-${destinationId}.1`, legacyQueue].sort());
    await waitFor(async () => (await view(destinationId)).heldDeliveries === 7, { what: "7 held deliveries: 6 in the partitions, 1 in the per-value queue" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(on("/p-hold")).toHaveLength(0);

    await post(`/api/destinations/${destinationId}/resume`);
    await waitFor(async () => on("/p-hold").length >= 7, { timeoutMs: 20_000, what: "the 7 held deliveries" });
    expect(new Set(on("/p-hold").map((request) => String(request.headers["webhook-id"])))).toEqual(new Set([...answers, legacy].map((answer) => deliveryFor(answer, destinationId))));
    expect((await destinationQueues(runQstash, destinationId)).map((queue) => queue.paused)).toEqual([false, false, false]);
    await waitFor(async () => (await view(destinationId)).heldDeliveries === 0, { what: "nothing held after the resume" });
    // Pausing again pauses the per-value queue as well, which the resume left running.
    await post(`/api/destinations/${destinationId}/pause`);
    expect((await destinationQueues(runQstash, destinationId)).map((queue) => queue.paused)).toEqual([true, true, true]);

    // Deleted while paused: what waits in a per-value queue is released and recorded skipped, not sent.
    const stranded = await fire(callback.triggerUrl, { n: 7, customerId: "deleted-before-partitions" });
    await moveToPerValueQueue(stranded, destinationId, "deleted-before-partitions");
    await waitFor(async () => (await view(destinationId)).heldDeliveries === 1, { what: "1 held delivery" });
    expect((await call(app.url, "DELETE", `/api/destinations/${destinationId}`)).status).toBe(204);
    await waitForDelivery(app.url, deliveryFor(stranded, destinationId), ["skipped"], 20_000);
    expect((await destinationQueues(runQstash, destinationId)).reduce((sum, queue) => sum + queue.lag, 0)).toBe(0);
    expect(on("/p-hold")).toHaveLength(7);
  });

  it("is released when a resume comes between a trigger reading the config as paused and creating its partition's queue paused", async () => {
    const callback = await createCallback(app.url, { name: "partitions-resume-race", destinations: [{ ...httpDestination(`${sink.url}/p-race`), ...keyed }] });
    const destinationId = callback.destinations[0]?.id ?? "";
    await post(`/api/destinations/${destinationId}/pause`);
    // The trigger reads its config (cache or fill) while the destination is paused ...
    const config = await findTriggerConfig(getDb, { by: "token", tokenHash: hashToken(callback.token) });
    if (!config) throw new Error("no trigger config");
    expect(config.destinations[0]?.paused).toBe(true);
    // ... the resume clears the row and resumes every queue it lists, which this value's partition is not yet ...
    await post(`/api/destinations/${destinationId}/resume`);
    const queueName = queueNameOf(destinationId, { value: "late", partitions: 4 });
    expect((await destinationQueues(runQstash, destinationId)).map((queue) => queue.name)).not.toContain(queueName);
    // ... and only then does the trigger create that queue paused and publish into it.
    const request = {
      method: "POST",
      path: "/api/trigger/{token}",
      query: {},
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ customerId: "late" }),
      bodyEncoding: "utf8" as const,
      receivedAt: new Date().toISOString(),
    };
    const published = await publishOrRecord(buildJobs(config, request), { callbackId: config.id, request }, config.retries, config);
    expect((await destinationQueues(runQstash, destinationId)).find((queue) => queue.name === queueName)).toMatchObject({ paused: false });
    const deliveryId = published.deliveries[0]?.id ?? "";
    expect((await waitForDelivery(app.url, deliveryId, ["succeeded"])).attempts).toBe(1);
  });

  it("a replay and a bulk replay into a paused keyed FIFO destination create the partition's queue paused before enqueuing", async () => {
    const from = new Date().toISOString();
    const callback = await createCallback(app.url, { name: "partitions-replay-held", retries: 0, destinations: [httpDestination(`${sink.url}/p-replay`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const values = ["replayed-alone", "replayed-in-bulk"];
    sink.script([503, 503]);
    const originals: string[] = [];
    for (const customerId of values) {
      const id = deliveryFor(await fire(callback.triggerUrl, { customerId }), destinationId);
      expect((await waitForDelivery(app.url, id, ["dead", "failed", "succeeded"])).status).toBe("dead");
      originals.push(id);
    }
    const to = new Date(Date.now() + 1_000).toISOString();
    // Keyed FIFO from now on, and paused: neither value's partition queue exists yet.
    expect((await call(app.url, "PATCH", `/api/destinations/${destinationId}`, { body: { ...keyed, orderingPartitions: 32 } })).status).toBe(200);
    await post(`/api/destinations/${destinationId}/pause`);
    expect(await destinationQueues(runQstash, destinationId)).toEqual([]);

    const single = await call<{ deliveryId: string; messageId: string }>(app.url, "POST", `/api/deliveries/${originals[0]}/replay`);
    expect(single.status, single.text).toBe(202);
    const bulk = await call<{ replayed: number; deliveryIds: string[] }>(app.url, "POST", `/api/destinations/${destinationId}/replay`, { body: { status: "dead", from, to } });
    expect(bulk.status, bulk.text).toBe(202);
    expect(bulk.body.replayed).toBe(1);
    const replays = [single.body.deliveryId, bulk.body.deliveryIds[0] ?? ""];
    const partitions = values.map((value) => queueNameOf(destinationId, { value, partitions: 32 }));
    // Each replay's own message waits in its value's queue, paused from its creation: the delivery
    // function never saw it (its safety net would have published it again under another id).
    const queues = await destinationQueues(runQstash, destinationId);
    for (const queueName of new Set(partitions)) expect(queues.find((queue) => queue.name === queueName)).toMatchObject({ paused: true });
    expect(queues.reduce((sum, queue) => sum + queue.lag, 0)).toBe(2);
    for (const [index, id] of replays.entries()) {
      const detail = (await call<{ status: string; attempts: number; qstashMessageId: string }>(app.url, "GET", `/api/deliveries/${id}`)).body;
      expect(detail).toMatchObject({ status: "queued", attempts: 0 });
      expect((await runQstash.messages.get(detail.qstashMessageId)).queueName).toBe(partitions[index]);
    }
    expect(on("/p-replay")).toHaveLength(2);

    await post(`/api/destinations/${destinationId}/resume`);
    for (const id of replays) expect((await waitForDelivery(app.url, id, ["succeeded"])).attempts).toBe(1);
    const received = on("/p-replay").map((request) => String(request.headers["webhook-id"]));
    expect(received.slice(0, 2)).toEqual(originals);
    expect(received.slice(2).sort()).toEqual([...replays].sort());
  });
});

describe("orderingPartitions as a field", () => {
  it("is refused with 422 naming it when out of 1..32, not a whole number, or without FIFO and a key, on create and PATCH", async () => {
    const callback = await createCallback(app.url, {
      name: "partitions-422",
      destinations: [
        { ...httpDestination(`${sink.url}/p-422`), ...keyed },
        { ...httpDestination(`${sink.url}/p-422`), name: "plain" },
      ],
    });
    const [keyedId, plainId] = callback.destinations.map((destination) => destination.id);
    const before = await countConfigRows(app.db);
    for (const value of [0, 33, 2.5, "4", -1]) {
      const created = await call(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, { body: { ...httpDestination(`${sink.url}/x`), ...keyed, orderingPartitions: value } });
      expect422(created, "orderingPartitions", /./);
      expect422(await call(app.url, "PATCH", `/api/destinations/${keyedId}`, { body: { orderingPartitions: value } }), "orderingPartitions", /./);
    }
    const withoutKey: Array<Record<string, unknown>> = [{ orderingPartitions: 4 }, { ordering: "fifo", orderingPartitions: 8 }];
    for (const fields of withoutKey) {
      const created = await call(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, { body: { ...httpDestination(`${sink.url}/x`), ...fields } });
      expect422(created, "orderingPartitions", /orderingKey/);
      expect422(await call(app.url, "PATCH", `/api/destinations/${plainId}`, { body: fields }), "orderingPartitions", /orderingKey/);
    }
    expect422(await call(app.url, "PATCH", `/api/destinations/${keyedId}`, { body: { orderingKey: null, orderingPartitions: 8 } }), "orderingPartitions", /orderingKey/);
    expect(await countConfigRows(app.db)).toEqual(before);
    expect(await view(keyedId ?? "")).toMatchObject({ ...keyed, orderingPartitions: 4 });
    expect(await view(plainId ?? "")).toMatchObject({ ordering: "none", orderingPartitions: null });
  });

  it("defaults to 4 with a key, is shown and changed through GET and PATCH, and goes when the key does", async () => {
    const callback = await createCallback(app.url, { name: "partitions-ok", destinations: [{ ...httpDestination(`${sink.url}/p-ok`), ...keyed }] });
    const destinationId = callback.destinations[0]?.id ?? "";
    expect(await view(destinationId)).toMatchObject({ ...keyed, orderingPartitions: 4 });
    const changed = await call<View>(app.url, "PATCH", `/api/destinations/${destinationId}`, { body: { orderingPartitions: 32 } });
    expect(changed.body).toMatchObject({ orderingPartitions: 32 });
    expect(await view(destinationId)).toMatchObject({ orderingPartitions: 32 });
    expect((await call<View>(app.url, "PATCH", `/api/destinations/${destinationId}`, { body: { orderingPartitions: null } })).body).toMatchObject({ orderingPartitions: 4 });
    const unkeyed = await call<View>(app.url, "PATCH", `/api/destinations/${destinationId}`, { body: { orderingKey: null } });
    expect(unkeyed.body).toMatchObject({ ordering: "fifo", orderingKey: null, orderingPartitions: null });
  });
});
