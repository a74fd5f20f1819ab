// Destination filters in the trigger route: a destination whose filter does not match gets no
// QStash message and no delivery, the 202 names it under `filtered`, the event records it, a
// trigger nobody matches is still accepted and recorded, and a filter change reaches the next
// trigger through the cache.
import { randomUUID } from "node:crypto";
import { Client } from "@upstash/qstash";
import { describe, expect, it } from "vitest";
import { loadDeliveryDetailPage } from "@/lib/deliveries/delivery-detail-page";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination, listDeliveries, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { devQstash, testConfig } from "../../support/ports";
import { useSink } from "../../support/sink";
import { fireTrigger } from "../../support/trigger";

const app = useApp();
const sink = useSink();
const qstash = () => new Client({ baseUrl: `http://127.0.0.1:${testConfig().ports.qstash}`, token: devQstash.token, devMode: false });

interface FilteredAnswer {
  eventId: string;
  deliveries: Array<{ id: string; destinationId: string; messageId: string }>;
  filtered: string[];
}

async function trigger(url: string, options: Parameters<typeof fireTrigger>[1]): Promise<FilteredAnswer & { status: number; text: string }> {
  const answer = await fireTrigger(url, options);
  expect(answer.status, answer.text).toBe(202);
  const body = JSON.parse(answer.text) as FilteredAnswer;
  return { ...body, status: answer.status, text: answer.text };
}

async function eventRow(eventId: string) {
  return app.db.selectFrom("events").select(["id", "filtered_destination_ids", "body_json", "body"]).where("id", "=", eventId).executeTakeFirst();
}

const hits = (path: string) => sink.requests.filter((request) => request.path === path);

/** QStash knows a destination's flow-control key once a message for it was published. */
async function qstashSawDestination(destinationId: string): Promise<boolean> {
  return qstash()
    .flowControl.get(`sy-dest-${destinationId}`)
    .then(() => true)
    .catch(() => false);
}

describe("a trigger against filtered destinations", () => {
  it("publishes only to the matching ones, answers filtered, and records the rest on the event", async () => {
    const tag = randomUUID();
    const callback = await createCallback(app.url, {
      name: "filtered-fanout",
      destinations: [
        { ...httpDestination(`${sink.url}/created-${tag}`), name: "created", filter: { body: { type: ["order.created"] } } },
        { ...httpDestination(`${sink.url}/deleted-${tag}`), name: "deleted", filter: { body: { type: ["order.deleted"] } } },
        { ...httpDestination(`${sink.url}/all-${tag}`), name: "all" },
      ],
    });
    const [created, deleted, all] = callback.destinations.map((destination) => destination.id);

    const answer = await trigger(callback.triggerUrl, { body: { type: "order.created", total: 12 } });
    expect(answer.deliveries.map((delivery) => delivery.destinationId).sort()).toEqual([created, all].sort());
    expect(answer.filtered).toEqual([deleted]);

    for (const delivery of answer.deliveries) await waitForDelivery(app.url, delivery.id, ["succeeded"]);
    expect(hits(`/created-${tag}`)).toHaveLength(1);
    expect(hits(`/all-${tag}`)).toHaveLength(1);
    expect(hits(`/deleted-${tag}`)).toHaveLength(0);
    // QStash's side: messages went out for the two that matched, none ever for the filtered one.
    expect(await qstashSawDestination(created ?? "")).toBe(true);
    expect(await qstashSawDestination(deleted ?? "")).toBe(false);
    const deliveries = await listDeliveries(app.url, `callbackId=${callback.id}`);
    expect(deliveries.map((delivery) => delivery.destinationId).sort()).toEqual([created, all].sort());

    const event = await eventRow(answer.eventId);
    expect(event?.filtered_destination_ids).toEqual([deleted]);
    expect(event?.body_json).toEqual({ type: "order.created", total: 12 });
    // What the delivery page shows beside each delivery of this event.
    const page = await loadDeliveryDetailPage(app.db, answer.deliveries[0]?.id ?? "");
    expect(page.filteredDestinations).toEqual([{ id: deleted, name: "deleted" }]);
  });

  it("stores a JSON body Postgres refuses as jsonb as text only, and still delivers it", async () => {
    const tag = randomUUID();
    const callback = await createCallback(app.url, { name: "filtered-nul", destinations: [{ ...httpDestination(`${sink.url}/nul-${tag}`), filter: { body: { sha: { prefix: "3e" } } } }] });
    // \u0000 parses in JavaScript but not in jsonb; a hex id that looks like an exponent is fine.
    const refused = await trigger(callback.triggerUrl, { raw: '{"sha":"3e12345","note":"a\\u0000b"}', headers: { "content-type": "application/json" } });
    const kept = await trigger(callback.triggerUrl, { raw: '{"sha":"3e12345","big":1e99999}', headers: { "content-type": "application/json" } });
    const fine = await trigger(callback.triggerUrl, { body: { sha: "3e12345" } });
    for (const answer of [refused, kept, fine]) await waitForDelivery(app.url, answer.deliveries[0]?.id ?? "", ["succeeded"]);
    expect((await eventRow(refused.eventId))?.body_json).toBeNull();
    expect((await eventRow(kept.eventId))?.body_json).toBeNull();
    expect((await eventRow(fine.eventId))?.body_json).toEqual({ sha: "3e12345" });
    expect(hits(`/nul-${tag}`)).toHaveLength(3);
  });

  it("matches method, query and headers (names in any case) as captured", async () => {
    const tag = randomUUID();
    const filter = { method: ["POST"], query: { env: "prod" }, headers: { "X-Event-Kind": { prefix: "push" } } };
    const callback = await createCallback(app.url, { name: "filtered-request", destinations: [{ ...httpDestination(`${sink.url}/req-${tag}`), filter }] });
    const [destination] = callback.destinations.map((row) => row.id);

    const matched = await trigger(callback.triggerUrl, { query: "?env=prod", headers: { "x-event-kind": "push.tag" }, raw: "plain text" });
    expect(matched.deliveries.map((delivery) => delivery.destinationId)).toEqual([destination]);
    expect(matched.filtered).toEqual([]);
    await waitForDelivery(app.url, matched.deliveries[0]?.id ?? "", ["succeeded"]);
    // A text body is kept as text: nothing for search to index.
    expect((await eventRow(matched.eventId))?.body_json).toBeNull();

    const wrongQuery = await trigger(callback.triggerUrl, { query: "?env=dev", headers: { "X-Event-Kind": "push" } });
    expect(wrongQuery.deliveries).toEqual([]);
    expect(wrongQuery.filtered).toEqual([destination]);
  });

  it("accepts and records a trigger that matches no destination, publishing nothing", async () => {
    const tag = randomUUID();
    const callback = await createCallback(app.url, {
      name: "filtered-none",
      destinations: [{ ...httpDestination(`${sink.url}/none-${tag}`), filter: { body: { amount: { numeric: [">", 100] } } } }],
    });
    const [destination] = callback.destinations.map((row) => row.id);

    // A string "500" is not the number 500: no match.
    const answer = await trigger(callback.triggerUrl, { body: { amount: "500" } });
    expect(answer.deliveries).toEqual([]);
    expect(answer.filtered).toEqual([destination]);

    const event = await waitFor(() => eventRow(answer.eventId), { what: "the event row" });
    expect(event.filtered_destination_ids).toEqual([destination]);
    expect(event.body).toBe('{"amount":"500"}');
    expect(event.body_json).toEqual({ amount: "500" });
    expect(await listDeliveries(app.url, `callbackId=${callback.id}`)).toHaveLength(0);
    expect(await qstashSawDestination(destination ?? "")).toBe(false);
    expect(hits(`/none-${tag}`)).toHaveLength(0);
  });

  it("answers an idempotent retry with the same deliveries and filtered ids, publishing nothing more", async () => {
    const tag = randomUUID();
    const callback = await createCallback(app.url, {
      name: "filtered-idempotent",
      destinations: [
        { ...httpDestination(`${sink.url}/yes-${tag}`), filter: { body: { ok: [true] } } },
        { ...httpDestination(`${sink.url}/no-${tag}`), filter: { body: { ok: [false] } } },
      ],
    });
    const headers = { "idempotency-key": `key-${tag}` };
    const first = await trigger(callback.triggerUrl, { body: { ok: true }, headers });
    const repeat = await fireTrigger(callback.triggerUrl, { body: { ok: true }, headers });
    expect(repeat.status).toBe(202);
    expect(JSON.parse(repeat.text)).toEqual(JSON.parse(first.text));
    expect(first.filtered).toEqual([callback.destinations[1]?.id]);
    await waitForDelivery(app.url, first.deliveries[0]?.id ?? "", ["succeeded"]);
    expect(hits(`/yes-${tag}`)).toHaveLength(1);
    expect(await listDeliveries(app.url, `callbackId=${callback.id}`)).toHaveLength(1);
  });

  it("uses a filter changed by PATCH on the very next trigger (the cached config is dropped)", async () => {
    const tag = randomUUID();
    const callback = await createCallback(app.url, {
      name: "filtered-patch",
      destinations: [{ ...httpDestination(`${sink.url}/patched-${tag}`), filter: { body: { region: ["eu"] } } }],
    });
    const id = callback.destinations[0]?.id ?? "";
    // Warms the cache with the old filter.
    expect((await trigger(callback.triggerUrl, { body: { region: "us" } })).filtered).toEqual([id]);

    const patched = await call(app.url, "PATCH", `/api/destinations/${id}`, { body: { filter: { body: { region: ["eu", "us"] } } } });
    expect(patched.status, patched.text).toBe(200);
    const afterPatch = await trigger(callback.triggerUrl, { body: { region: "us" } });
    expect(afterPatch.filtered).toEqual([]);
    await waitForDelivery(app.url, afterPatch.deliveries[0]?.id ?? "", ["succeeded"]);
    expect(hits(`/patched-${tag}`)).toHaveLength(1);

    const removed = await call(app.url, "PATCH", `/api/destinations/${id}`, { body: { filter: null } });
    expect(removed.status, removed.text).toBe(200);
    const unfiltered = await trigger(callback.triggerUrl, { body: { region: "anywhere" } });
    expect(unfiltered.deliveries.map((delivery) => delivery.destinationId)).toEqual([id]);
  });

  it("applies filters to the operator's send-test too", async () => {
    const tag = randomUUID();
    const callback = await createCallback(app.url, {
      name: "filtered-send-test",
      destinations: [{ ...httpDestination(`${sink.url}/test-${tag}`), filter: { body: { kind: ["real"] } } }],
    });
    const fired = await call<FilteredAnswer>(app.url, "POST", `/api/callbacks/${callback.id}/test`, { body: { body: { kind: "test" } } });
    expect(fired.status, fired.text).toBe(202);
    expect(fired.body.deliveries).toEqual([]);
    expect(fired.body.filtered).toEqual([callback.destinations[0]?.id]);
    expect((await eventRow(fired.body.eventId))?.filtered_destination_ids).toEqual([callback.destinations[0]?.id]);
  });
});
