// Pause and resume that hold (issue #16): while a destination or its callback is paused, triggers
// are still accepted and their deliveries wait in QStash (nothing sent, skipped or lost); resume
// releases every one of them once. A breaker whose action is pause holds the backlog and says so.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, expect422, waitFor } from "../../../support/api";
import { createCallback, httpDestination, listDeliveries, waitForDelivery } from "../../../support/fixtures";
import { countConfigRows, localQstashClient, useApp } from "../../../support/harness";
import { deadUrl, withEnv } from "../../../support/env-override";
import { deliveryFor, fire, type TriggerAnswer } from "../../../support/lifecycle";
import { callAs, signInNewViewer, type Session } from "../../../support/sessions";
import { startSink, useSink, type Sink, type SinkRequest } from "../../../support/sink";

const app = useApp();
const sink = useSink();
let alertSink: Sink;
let viewer: Session;

interface HoldView {
  id: string;
  enabled: boolean;
  paused: boolean;
  pausedReason: string | null;
  pausedAt: string | null;
  heldDeliveries?: number | null;
  heldNote?: string;
  consecutiveFailures: number;
}

beforeAll(async () => {
  alertSink = await startSink();
  const saved = await call(app.url, "PUT", "/api/settings/alerts", { body: { retries: 1, config: { url: `${alertSink.url}/alerts` } } });
  expect(saved.status).toBe(200);
  viewer = await signInNewViewer(app.url);
});
afterAll(async () => {
  await call(app.url, "DELETE", "/api/settings/alerts");
  await alertSink.close();
});

const on = (path: string) => sink.requests.filter((request) => request.path === path);
const deliveryIdsOf = (requests: SinkRequest[]) => requests.map((request) => String(request.headers["webhook-id"]));

async function destination(id: string): Promise<HoldView> {
  const result = await call<HoldView>(app.url, "GET", `/api/destinations/${id}`);
  expect(result.status).toBe(200);
  return result.body;
}

async function post<T = HoldView>(path: string): Promise<T> {
  const result = await call<T>(app.url, "POST", path);
  expect(result.status, result.text).toBe(200);
  return result.body;
}

/** Fires `count` triggers, ten at a time, and returns their answers. */
async function fireMany(triggerUrl: string, count: number): Promise<TriggerAnswer[]> {
  const answers: TriggerAnswer[] = [];
  for (let start = 0; start < count; start += 10) {
    const size = Math.min(10, count - start);
    answers.push(...(await Promise.all(Array.from({ length: size }, (_, index) => fire(triggerUrl, { n: start + index })))));
  }
  return answers;
}

/** Nothing may arrive: QStash has the held count, and the sink still has nothing after a while. */
async function expectHeld(path: string, destinationId: string, count: number, alreadyReceived = 0): Promise<HoldView> {
  const view = await waitFor(
    async () => {
      const current = await destination(destinationId);
      return current.heldDeliveries === count ? current : undefined;
    },
    { what: `${count} held deliveries` },
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(on(path)).toHaveLength(alreadyReceived);
  return view;
}

async function expectAllDelivered(path: string, deliveryIds: string[]): Promise<void> {
  await waitFor(async () => on(path).length >= deliveryIds.length, { timeoutMs: 30_000, what: `${deliveryIds.length} deliveries at ${path}` });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const received = deliveryIdsOf(on(path));
  expect(received).toHaveLength(deliveryIds.length);
  expect(new Set(received)).toEqual(new Set(deliveryIds));
}

describe("pausing a destination", () => {
  it("holds 50 triggers' deliveries in QStash while paused, and resume delivers all 50 once", async () => {
    const callback = await createCallback(app.url, { name: "hold-50", destinations: [{ ...httpDestination(`${sink.url}/hold-50`), name: "held", maxConcurrency: 10 }] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const paused = await post(`/api/destinations/${destinationId}/pause`);
    expect(paused).toMatchObject({ paused: true, pausedReason: "operator", pausedAt: expect.any(String) });
    // Idempotent: a second pause changes nothing, not even when it happened.
    expect(await post(`/api/destinations/${destinationId}/pause`)).toMatchObject({ paused: true, pausedAt: paused.pausedAt });

    const answers = await fireMany(callback.triggerUrl, 50);
    const deliveryIds = answers.map((answer) => deliveryFor(answer, destinationId));
    const held = await expectHeld("/hold-50", destinationId, 50);
    expect(held).toMatchObject({ enabled: true, paused: true, pausedReason: "operator" });
    // Held deliveries are in the log as queued (written after each 202): none is skipped, failed or sent.
    await waitFor(async () => (await listDeliveries(app.url, `destinationId=${destinationId}&limit=100`)).length === 50, { what: "50 held deliveries listed" });
    const listed = await listDeliveries(app.url, `destinationId=${destinationId}&limit=100`);
    expect(listed.filter((item) => item.status !== "queued")).toEqual([]);
    expect(new Set(listed.map((item) => item.id))).toEqual(new Set(deliveryIds));

    const resumed = await post(`/api/destinations/${destinationId}/resume`);
    expect(resumed).toMatchObject({ paused: false, pausedReason: null, pausedAt: null });
    await expectAllDelivered("/hold-50", deliveryIds);
    await waitFor(async () => (await listDeliveries(app.url, `destinationId=${destinationId}&status=succeeded&limit=100`)).length === 50, { what: "50 succeeded" });
    expect((await destination(destinationId)).heldDeliveries).toBe(0);
    expect(await post(`/api/destinations/${destinationId}/resume`)).toMatchObject({ paused: false });
  });

  it("holds a FIFO destination's queues, a new ordering key's queue too, and resume keeps each key's order", async () => {
    const callback = await createCallback(app.url, {
      name: "hold-fifo",
      destinations: [{ ...httpDestination(`${sink.url}/hold-fifo`), name: "ordered", ordering: "fifo", orderingKey: "{body.customerId}" }],
    });
    const destinationId = callback.destinations[0]?.id ?? "";
    await fire(callback.triggerUrl, { customerId: "known", n: -1 });
    await waitFor(async () => on("/hold-fifo").length === 1);
    expect(await post(`/api/destinations/${destinationId}/pause`)).toMatchObject({ paused: true, ordering: "fifo" });
    const bodies = Array.from({ length: 6 }, (_, n) => ({ n, customerId: n % 2 === 0 ? "known" : "new" }));
    for (const body of bodies) await fire(callback.triggerUrl, body);
    await expectHeld("/hold-fifo", destinationId, 6, 1);

    await post(`/api/destinations/${destinationId}/resume`);
    await waitFor(async () => on("/hold-fifo").length === 7, { timeoutMs: 20_000 });
    const received = on("/hold-fifo")
      .slice(1)
      .map((request) => (JSON.parse(request.body) as { request: { body: { n: number; customerId: string } } }).request.body);
    for (const customerId of ["known", "new"]) {
      expect(received.filter((body) => body.customerId === customerId).map((body) => body.n)).toEqual(bodies.filter((body) => body.customerId === customerId).map((body) => body.n));
    }
  });

  it("keeps holding when a paused destination switches to FIFO, and resume releases both lanes", async () => {
    const callback = await createCallback(app.url, { name: "hold-switch", destinations: [httpDestination(`${sink.url}/hold-switch`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    await post(`/api/destinations/${destinationId}/pause`);
    const before = await fireMany(callback.triggerUrl, 2);
    await expectHeld("/hold-switch", destinationId, 2);
    const switched = await call(app.url, "PATCH", `/api/destinations/${destinationId}`, { body: { ordering: "fifo" } });
    expect(switched.body).toMatchObject({ ordering: "fifo", paused: true });
    const after = await fireMany(callback.triggerUrl, 2);
    await expectHeld("/hold-switch", destinationId, 4);
    await post(`/api/destinations/${destinationId}/resume`);
    await expectAllDelivered(
      "/hold-switch",
      [...before, ...after].map((answer) => deliveryFor(answer, destinationId)),
    );
  });

  it("holds a delivery that reached the function after the row said paused but before QStash did", async () => {
    const callback = await createCallback(app.url, { name: "hold-race", destinations: [{ ...httpDestination(`${sink.url}/hold-race`), name: "raced" }] });
    const destinationId = callback.destinations[0]?.id ?? "";
    await fire(callback.triggerUrl); // fills the trigger cache with the destination not paused
    await waitFor(async () => on("/hold-race").length === 1);
    // The window between a trigger reading the config and the pause: QStash still runs the key.
    await app.db.updateTable("destinations").set({ paused: true, paused_reason: "operator", paused_at: new Date() }).where("id", "=", destinationId).execute();
    const deliveryId = deliveryFor(await fire(callback.triggerUrl), destinationId);
    await expectHeld("/hold-race", destinationId, 1, 1);
    const held = (await call<{ status: string; attempts: number; qstashMessageId: string }>(app.url, "GET", `/api/deliveries/${deliveryId}`)).body;
    expect(held).toMatchObject({ status: "queued", attempts: 0 });
    // Published again like any delivery: if QStash gives up on it, the failure callback marks it dead.
    const qstash = localQstashClient();
    expect(await qstash.messages.get(held.qstashMessageId)).toMatchObject({ failureCallback: `${app.url}/api/deliver/failed`, flowControlKey: `sy-dest-${destinationId}` });

    await post(`/api/destinations/${destinationId}/resume`);
    expect((await waitForDelivery(app.url, deliveryId, ["succeeded"])).attempts).toBe(1);
    expect(deliveryIdsOf(on("/hold-race")).filter((id) => id === deliveryId)).toHaveLength(1);
  });

  it("releases what a deleted destination held, so nothing waits in QStash for good or reaches its receiver", async () => {
    const callback = await createCallback(app.url, { name: "hold-delete", destinations: [httpDestination(`${sink.url}/hold-delete`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    await post(`/api/destinations/${destinationId}/pause`);
    await fireMany(callback.triggerUrl, 3);
    await expectHeld("/hold-delete", destinationId, 3);
    expect((await call(app.url, "DELETE", `/api/destinations/${destinationId}`)).status).toBe(204);
    const qstash = localQstashClient();
    await waitFor(async () => (await qstash.flowControl.get(`sy-dest-${destinationId}`)).waitListSize === 0, { what: "the held deliveries released" });
    await waitFor(async () => (await qstash.flowControl.get(`sy-dest-${destinationId}`)).parallelismCount === 0, { what: "the released deliveries answered" });
    expect(on("/hold-delete")).toHaveLength(0);
  });

  it("shows the destination without a held count when QStash cannot be read", async () => {
    const callback = await createCallback(app.url, { name: "hold-unread", destinations: [httpDestination(`${sink.url}/hold-unread`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const view = await withEnv({ QSTASH_URL: deadUrl }, () => destination(destinationId));
    expect(view).toMatchObject({ id: destinationId, paused: false, heldDeliveries: null, heldNote: expect.stringMatching(/QStash/) });
    // Pausing needs QStash: refused with a retryable error, and the row stays as it was.
    const refused = await withEnv({ QSTASH_URL: deadUrl }, () => call(app.url, "POST", `/api/destinations/${destinationId}/pause`));
    expect(refused.status).toBe(503);
    expect(refused.text).toMatch(/QStash did not confirm the flow-control pause; repeat the request/);
    expect((await destination(destinationId)).paused).toBe(false);
  });

  it("answers 404 for an unknown destination and refuses viewers and anonymous callers", async () => {
    const callback = await createCallback(app.url, { name: "hold-auth", destinations: [httpDestination(`${sink.url}/hold-auth`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    expect((await call(app.url, "POST", `/api/destinations/${randomUUID()}/pause`)).status).toBe(404);
    expect((await call(app.url, "POST", `/api/callbacks/${randomUUID()}/resume`)).status).toBe(404);
    expect((await call(app.url, "POST", `/api/destinations/${destinationId}/pause`, { token: null })).status).toBe(401);
    expect((await callAs(app.url, viewer, "POST", `/api/destinations/${destinationId}/pause`)).status).toBe(403);
    expect((await callAs(app.url, viewer, "POST", `/api/callbacks/${callback.id}/pause`)).status).toBe(403);
    expect((await destination(destinationId)).paused).toBe(false);
  });
});

describe("pausing a callback", () => {
  it("holds every destination, and resume releases those not paused on their own", async () => {
    const callback = await createCallback(app.url, {
      name: "hold-callback",
      destinations: [
        { ...httpDestination(`${sink.url}/cb-a`), name: "a" },
        { ...httpDestination(`${sink.url}/cb-b`), name: "b" },
      ],
    });
    const [a, b] = callback.destinations.map((item) => item.id) as [string, string];
    const paused = await post<{ paused: boolean; pausedAt: string | null; destinations: HoldView[] }>(`/api/callbacks/${callback.id}/pause`);
    expect(paused).toMatchObject({ paused: true, pausedAt: expect.any(String) });
    expect(paused.destinations.map((item) => [item.paused, item.pausedReason])).toEqual([
      [true, "callback"],
      [true, "callback"],
    ]);
    await post(`/api/destinations/${b}/pause`);
    const first = await fireMany(callback.triggerUrl, 3);
    await expectHeld("/cb-a", a, 3);
    expect((await destination(b)).heldDeliveries).toBe(3);
    // Resuming a destination its callback holds keeps it held.
    expect(await post(`/api/destinations/${a}/resume`)).toMatchObject({ paused: true, pausedReason: "callback" });
    expect(on("/cb-a")).toHaveLength(0);

    // A destination added to a paused callback starts held.
    const added = await call<HoldView>(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, { body: { ...httpDestination(`${sink.url}/cb-c`), name: "c" } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ paused: true, pausedReason: "callback" });
    const second = await fire(callback.triggerUrl);
    await expectHeld("/cb-c", added.body.id, 1);

    expect(await post(`/api/callbacks/${callback.id}/resume`)).toMatchObject({ paused: false, pausedAt: null });
    await expectAllDelivered(
      "/cb-a",
      [...first, second].map((answer) => deliveryFor(answer, a)),
    );
    await expectAllDelivered("/cb-c", [deliveryFor(second, added.body.id)]);
    expect(await destination(b)).toMatchObject({ paused: true, pausedReason: "operator", heldDeliveries: 4 });
    expect(on("/cb-b")).toHaveLength(0);

    await post(`/api/destinations/${b}/resume`);
    await expectAllDelivered(
      "/cb-b",
      [...first, second].map((answer) => deliveryFor(answer, b)),
    );
  });
});

describe("a circuit breaker whose action is pause", () => {
  it("pauses instead of disabling, holds what follows, says so in the alert, and resume starts a fresh count", async () => {
    const path = "/breaker-pause";
    const callback = await createCallback(app.url, {
      name: "hold-breaker",
      retries: 0,
      destinations: [{ ...httpDestination(`${sink.url}${path}`), name: "breaker-paused partner", failureThreshold: 2, breakerAction: "pause" }],
    });
    const destinationId = callback.destinations[0]?.id ?? "";
    sink.script([400, 400]);
    for (let index = 0; index < 2; index += 1) {
      await waitForDelivery(app.url, deliveryFor(await fire(callback.triggerUrl), destinationId), ["failed"]);
    }
    const tripped = await waitFor(async () => {
      const current = await destination(destinationId);
      return current.paused ? current : undefined;
    });
    expect(tripped).toMatchObject({ enabled: true, paused: true, pausedReason: "breaker", consecutiveFailures: 2 });
    const alert = await waitFor(async () => {
      const found = alertSink.requests.map((request) => JSON.parse(request.body) as Record<string, unknown>).find((body) => body.destinationId === destinationId);
      return found;
    });
    expect(alert).toMatchObject({ type: "destination.paused", consecutiveFailures: 2, heldDeliveries: 0, reason: expect.stringMatching(/held/) });
    expect(String(alert.reason)).toMatch(/paused, not disabled/);

    const later = await fireMany(callback.triggerUrl, 3);
    await waitFor(async () => (await destination(destinationId)).heldDeliveries === 3);
    expect(on(path)).toHaveLength(2);

    expect(await post(`/api/destinations/${destinationId}/resume`)).toMatchObject({ paused: false, consecutiveFailures: 0 });
    await waitFor(async () => on(path).length === 5, { timeoutMs: 20_000 });
    expect(new Set(deliveryIdsOf(on(path).slice(2)))).toEqual(new Set(later.map((answer) => deliveryFor(answer, destinationId))));
  });
});

describe("bad hold, order and pace fields", () => {
  it("are refused with 422 naming the field, on create and on PATCH, and nothing is written", async () => {
    const callback = await createCallback(app.url, { name: "hold-422", destinations: [httpDestination(`${sink.url}/hold-422`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const before = await countConfigRows(app.db);
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ ordering: "lifo" }, "ordering", /none|fifo/],
      [{ orderingKey: "{body.customerId}" }, "orderingKey", /fifo/],
      [{ ordering: "fifo", orderingKey: "{secret:API_KEY}" }, "orderingKey", /request/],
      [{ ordering: "fifo", orderingKey: "{body.customerId" }, "orderingKey", /./],
      [{ ordering: "fifo", rateLimit: { count: 5, periodSeconds: 1 } }, "rateLimit", /queue/],
      [{ rateLimit: { count: 0, periodSeconds: 1 } }, "rateLimit.count", /./],
      [{ rateLimit: { count: 5, periodSeconds: 86_401 } }, "rateLimit.periodSeconds", /./],
      [{ retries: 21 }, "retries", /./],
      [{ retryDelay: { type: "expression", expression: "1000 * sleep(retried)" } }, "retryDelay.expression", /sleep/],
      [{ retryDelay: { type: "linear", baseSeconds: 10, capSeconds: 5 } }, "retryDelay.capSeconds", /baseSeconds/],
      [{ retryDelay: { type: "fixed" } }, "retryDelay.baseSeconds", /./],
      [{ breakerAction: "explode" }, "breakerAction", /disable|pause/],
    ];
    for (const [fields, field, message] of cases) {
      const created = await call(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, { body: { ...httpDestination(`${sink.url}/x`), ...fields } });
      expect422(created, field, message);
      const patched = await call(app.url, "PATCH", `/api/destinations/${destinationId}`, { body: fields });
      expect422(patched, field, message);
    }
    expect(await countConfigRows(app.db)).toEqual(before);
    expect(await destination(destinationId)).toMatchObject({ ordering: "none", orderingKey: null, rateLimit: null, retries: null, retryDelay: null, breakerAction: "disable" });
  });

  it("stores good ones, shows them in GET, and clears them with null", async () => {
    const callback = await createCallback(app.url, { name: "hold-ok", destinations: [httpDestination(`${sink.url}/hold-ok`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const fields = { ordering: "fifo", orderingKey: "{body.customerId}", retries: 2, retryDelay: { type: "exponential", baseSeconds: 1, capSeconds: 60 }, breakerAction: "pause" };
    expect((await call(app.url, "PATCH", `/api/destinations/${destinationId}`, { body: fields })).status).toBe(200);
    expect(await destination(destinationId)).toMatchObject({ ...fields, rateLimit: null });
    const cleared = await call(app.url, "PATCH", `/api/destinations/${destinationId}`, {
      body: { ordering: "none", orderingKey: null, retries: null, retryDelay: null, rateLimit: { count: 5, periodSeconds: 60 } },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ ordering: "none", orderingKey: null, retries: null, retryDelay: null, rateLimit: { count: 5, periodSeconds: 60 }, breakerAction: "pause" });
  });
});
