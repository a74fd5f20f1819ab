import { describe, expect, it } from "vitest";
import { v7 } from "uuid";
import { sql } from "kysely";
import { call, expect422 } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { deliveryFor, fire } from "../../support/lifecycle";
import { useSink } from "../../support/sink";
import type { DeliveryStatus } from "@/lib/db/schema";

const app = useApp();
const sink = useSink();

interface Page {
  items: Array<{ id: string; eventId: string; status: string; destinationId: string }>;
  nextCursor: string | null;
  prevCursor: string | null;
  search?: { from: string; to: string | null; examined: number; cutShort: boolean };
}

interface Seed {
  name: string;
  body: unknown;
  headers?: Record<string, string>;
  method?: string;
  path?: string;
  status?: DeliveryStatus;
  destination?: number;
  ageMs?: number;
}

/** Events as the trigger route stores them (body text and body_json), each with one delivery. */
async function seed(callbackId: string, destinationIds: string[], seeds: Seed[]): Promise<Map<string, string>> {
  const now = Date.now();
  const idByName = new Map<string, string>();
  for (const [index, item] of seeds.entries()) {
    const at = new Date(now - (item.ageMs ?? 0) - (seeds.length - index) * 10);
    const eventId = v7({ msecs: at.getTime() });
    const deliveryId = v7({ msecs: at.getTime() });
    const text = typeof item.body === "string" ? item.body : JSON.stringify(item.body);
    await app.db
      .insertInto("events")
      .values({
        id: eventId,
        callback_id: callbackId,
        received_at: at,
        method: item.method ?? "POST",
        path: item.path ?? "/orders",
        query: "{}",
        headers: JSON.stringify({ "content-type": "application/json", ...item.headers }),
        body: text,
        body_encoding: "utf8",
        body_bytes: Buffer.byteLength(text),
        body_json: typeof item.body === "string" ? null : JSON.stringify(item.body),
      })
      .execute();
    await app.db
      .insertInto("deliveries")
      .values({
        id: deliveryId,
        event_id: eventId,
        callback_id: callbackId,
        destination_id: destinationIds[item.destination ?? 0] ?? "",
        kind: "http",
        status: item.status ?? "succeeded",
        attempts: 1,
        created_at: at,
        updated_at: at,
      })
      .execute();
    idByName.set(item.name, deliveryId);
  }
  return idByName;
}

const search = (query: string, filter: unknown) => call<Page>(app.url, "GET", `/api/deliveries?${query}&filter=${encodeURIComponent(JSON.stringify(filter))}`);

async function namesFound(ids: Map<string, string>, query: string, filter: unknown): Promise<string[]> {
  const answer = await search(query, filter);
  expect(answer.status, answer.text).toBe(200);
  const nameOf = new Map([...ids].map(([name, id]) => [id, name]));
  return answer.body.items.map((item) => nameOf.get(item.id) ?? `unexpected ${item.id}`).sort();
}

describe("search over deliveries with the filter language", () => {
  it("finds exactly the deliveries whose captured request matches each kind of condition", async () => {
    const callback = await createCallback(app.url, { name: "search-kinds", destinations: [httpDestination("https://receiver.example/")] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const ids = await seed(
      callback.id,
      [destinationId],
      [
        { name: "created-eu", body: { type: "order.created", amount: 40, customer: { region: "eu", tier: "gold" }, tags: ["new", "vip"] }, headers: { "x-shop": "north" } },
        { name: "created-us", body: { type: "order.created", amount: 250, customer: { region: "us" }, tags: ["new"] }, headers: { "x-shop": "south" } },
        { name: "updated", body: { type: "order.updated", amount: 40, customer: { region: "eu" } } },
        { name: "refund", body: { type: "refund.created", amount: "40", customer: { region: "eu" } }, method: "PUT" },
        { name: "text", body: "plain text, not JSON", path: "/ping" },
        { name: "lines", body: { type: "order.created", lines: [{ sku: "a-1" }, { sku: "b-2" }], amount: 7 } },
        {
          name: "batch",
          body: [
            { type: "batch.item", sku: "b-2" },
            { type: "batch.item", sku: "c-3" },
          ],
        },
        { name: "odd-keys", body: { 'say "hi"\\': { "ünï.cödé $x": 'a "quoted"\nvalue' } } },
      ],
    );
    const q = `callbackId=${callback.id}&limit=50`;

    expect(await namesFound(ids, q, { body: { type: "order.created" } })).toEqual(["created-eu", "created-us", "lines"]);
    expect(await namesFound(ids, q, { body: { type: ["order.updated", "refund.created"] } })).toEqual(["refund", "updated"]);
    expect(await namesFound(ids, q, { body: { type: { prefix: "order." } } })).toEqual(["created-eu", "created-us", "lines", "updated"]);
    // "40" (a string) is not a number: numeric never matches it.
    expect(await namesFound(ids, q, { body: { amount: { numeric: [">", 0, "<=", 100] } } })).toEqual(["created-eu", "lines", "updated"]);
    // Through lists: an element of a nested list of objects, and of a body that is a list.
    expect(await namesFound(ids, q, { body: { lines: { sku: "b-2" } } })).toEqual(["lines"]);
    expect(await namesFound(ids, q, { body: { sku: ["b-2", "z"] } })).toEqual(["batch"]);
    expect(await namesFound(ids, q, { body: { amount: 40 } })).toEqual(["created-eu", "updated"]);
    expect(await namesFound(ids, q, { body: { customer: { region: "eu", tier: "gold" } } })).toEqual(["created-eu"]);
    expect(await namesFound(ids, q, { body: { tags: "vip" } })).toEqual(["created-eu"]);
    expect(await namesFound(ids, q, { headers: { "X-Shop": "south" } })).toEqual(["created-us"]);
    expect(await namesFound(ids, q, { method: "PUT" })).toEqual(["refund"]);
    expect(await namesFound(ids, q, { path: { prefix: "/pi" } })).toEqual(["text"]);
    expect(await namesFound(ids, q, { $or: [{ body: { customer: { region: "us" } } }, { method: "PUT" }] })).toEqual(["created-us", "refund"]);
    expect(await namesFound(ids, q, { body: { customer: { region: "eu" } }, $not: { body: { type: { prefix: "order." } } } })).toEqual(["refund"]);
    expect(await namesFound(ids, q, { body: { $or: [{ type: "batch.item" }, { amount: 250 }] } })).toEqual(["batch", "created-us"]);
    // Keys and values that need quoting in SQL's jsonpath reach the index intact.
    expect(await namesFound(ids, q, { body: { 'say "hi"\\': { "ünï.cödé $x": 'a "quoted"\nvalue' } } })).toEqual(["odd-keys"]);
    expect(await namesFound(ids, q, { body: { missing: { exists: false }, type: "order.updated" } })).toEqual(["updated"]);
  });

  it("finds events that came in through the trigger route, by a body field and a header", async () => {
    const callback = await createCallback(app.url, { name: "search-live", destinations: [httpDestination(`${sink.url}/live`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const fired = [];
    for (const body of [
      { type: "invoice.paid", total: 12 },
      { type: "invoice.voided", total: 12 },
      { type: "invoice.paid", total: 99 },
    ]) {
      const answer = await fire(callback.triggerUrl, body);
      fired.push(deliveryFor(answer, destinationId));
    }
    for (const id of fired) expect((await waitForDelivery(app.url, id, ["succeeded", "failed", "dead"])).status).toBe("succeeded");
    const ids = new Map(fired.map((id, index) => [`t${index}`, id]));
    const q = `callbackId=${callback.id}`;
    expect(await namesFound(ids, q, { body: { type: "invoice.paid" } })).toEqual(["t0", "t2"]);
    expect(await namesFound(ids, q, { body: { type: "invoice.paid", total: { numeric: [">", 50] } } })).toEqual(["t2"]);
    expect(await namesFound(ids, q, { method: "POST", headers: { "Content-Type": { prefix: "application/json" } }, body: { total: 12 } })).toEqual(["t0", "t1"]);
  });

  it("combines with status and destination filters and walks keyset pages both ways", async () => {
    const callback = await createCallback(app.url, {
      name: "search-pages",
      destinations: [httpDestination("https://one.example/"), { ...httpDestination("https://two.example/"), name: "two" }],
    });
    const destinations = callback.destinations.map((destination) => destination.id);
    const seeds: Seed[] = Array.from({ length: 9 }, (_, index) => ({
      name: `e${index}`,
      body: { type: index % 3 === 0 ? "ping" : "order.created", index },
      status: index % 2 === 0 ? "dead" : "succeeded",
      destination: index === 8 ? 1 : 0,
    }));
    const ids = await seed(callback.id, destinations, seeds);
    const filter = { body: { type: "order.created" } };

    // order.created: e1 e2 e4 e5 e7 e8; dead: e2 e4 e8; on destination one: e2 e4.
    expect(await namesFound(ids, `callbackId=${callback.id}&status=dead`, filter)).toEqual(["e2", "e4", "e8"]);
    expect(await namesFound(ids, `destinationId=${destinations[0]}&status=dead`, filter)).toEqual(["e2", "e4"]);

    const newestFirst = ["e8", "e7", "e5", "e4", "e2", "e1"].map((name) => ids.get(name));
    const base = `callbackId=${callback.id}&limit=4`;
    const first = (await search(base, filter)).body;
    expect(first.items.map((item) => item.id)).toEqual(newestFirst.slice(0, 4));
    expect(first.search?.cutShort).toBe(false);
    const second = (await search(`${base}&cursor=${first.nextCursor}`, filter)).body;
    expect(second.items.map((item) => item.id)).toEqual(newestFirst.slice(4));
    expect(second.nextCursor).toBeNull();
    const back = (await search(`callbackId=${callback.id}&limit=2&after=${second.prevCursor}`, filter)).body;
    expect(back.items.map((item) => item.id)).toEqual(newestFirst.slice(2, 4));
  });

  it("answers 422 naming the place in a malformed filter, and the filter itself when it is not JSON", async () => {
    const malformed = await search("limit=5", { body: { amount: { numeric: [">", "ten"] } } });
    expect422(malformed, "filter.body.amount.numeric", /numeric takes pairs/);
    expect422(await search("limit=5", { body: { type: { prefix: 5 } } }), "filter.body.type.prefix", /string/);
    expect422(await search("limit=5", { headers: { "x-count": 5 } }), "filter.headers.x-count", /strings/);
    expect422(await search("limit=5", { $or: "nope" }), "filter.$or", /list/);
    const notJson = await call(app.url, "GET", `/api/deliveries?filter=${encodeURIComponent("{body: oops")}`);
    expect422(notJson, "filter", /not JSON/);
    const unauthenticated = await call(app.url, "GET", `/api/deliveries?filter=${encodeURIComponent("{}")}`, { token: null });
    expect(unauthenticated.status).toBe(401);
  });

  it("searches the last 24 hours unless from or to say otherwise", async () => {
    const callback = await createCallback(app.url, { name: "search-window", destinations: [httpDestination("https://receiver.example/")] });
    const ids = await seed(
      callback.id,
      [callback.destinations[0]?.id ?? ""],
      [
        { name: "old", body: { type: "x" }, ageMs: 30 * 3_600_000 },
        { name: "recent", body: { type: "x" }, ageMs: 3_600_000 },
      ],
    );
    const base = `callbackId=${callback.id}`;
    const filter = { body: { type: "x" } };
    expect(await namesFound(ids, base, filter)).toEqual(["recent"]);
    const answer = await search(base, filter);
    expect(Date.now() - Date.parse(answer.body.search?.from ?? "")).toBeGreaterThan(86_000_000);
    expect(Date.now() - Date.parse(answer.body.search?.from ?? "")).toBeLessThan(87_000_000);
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000).toISOString();
    expect(await namesFound(ids, `${base}&from=${twoDaysAgo}`, filter)).toEqual(["old", "recent"]);
    // `to` alone moves the day-long window back with it.
    const twentyFiveHoursAgo = new Date(Date.now() - 25 * 3_600_000).toISOString();
    expect(await namesFound(ids, `${base}&to=${twentyFiveHoursAgo}`, filter)).toEqual(["old"]);
    // Without a filter the log keeps showing everything, as before.
    const unfiltered = await call<Page>(app.url, "GET", `/api/deliveries?${base}`);
    expect(unfiltered.body.items).toHaveLength(2);
    expect(unfiltered.body.search).toBeUndefined();
  });

  it("stops a page at the examined cap and hands back a cursor that continues the search", async () => {
    const callback = await createCallback(app.url, { name: "search-cap", destinations: [httpDestination("https://receiver.example/")] });
    const destinationId = callback.destinations[0]?.id ?? "";
    // 6,000 deliveries in the last hour; only the oldest one's event has a matching path.
    const startMs = Date.now() - 3_600_000;
    await sql`
      with series as (
        select g, ${startMs}::bigint + g as ms, lpad(to_hex(${startMs}::bigint + g), 12, '0') as h from generate_series(1, 6000) as g
      ), ids as (
        select g, ms,
          (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid as event_id,
          (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid as delivery_id
        from series
      ), new_events as (
        insert into events (id, callback_id, received_at, method, path, query, headers, body, body_encoding, body_bytes, body_json)
        select event_id, ${callback.id}::uuid, to_timestamp(ms / 1000.0), 'POST', case when g = 1 then '/needle' else '/hay' end,
          '{}', '{}', '{"n":' || g || '}', 'utf8', 10, ('{"n":' || g || '}')::jsonb
        from ids
      )
      insert into deliveries (id, event_id, callback_id, destination_id, kind, status, attempts)
      select delivery_id, event_id, ${callback.id}::uuid, ${destinationId}::uuid, 'http', 'succeeded', 1 from ids`.execute(app.db);
    const needle = (await app.db.selectFrom("events").select("id").where("callback_id", "=", callback.id).where("path", "=", "/needle").executeTakeFirstOrThrow()).id;
    const filter = { path: { suffix: "needle" } };

    const first = await search(`callbackId=${callback.id}&limit=10`, filter);
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([]);
    expect(first.body.search).toMatchObject({ examined: 5_000, cutShort: true });
    expect(first.body.nextCursor).not.toBeNull();

    const rest = await search(`callbackId=${callback.id}&limit=10&cursor=${first.body.nextCursor}`, filter);
    expect(rest.body.items.map((item) => item.eventId)).toEqual([needle]);
    expect(rest.body.search).toMatchObject({ examined: 1_000, cutShort: false });
    expect(rest.body.nextCursor).toBeNull();
  });
});
