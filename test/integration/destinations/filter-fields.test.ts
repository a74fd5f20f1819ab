// filter and transform as destination-level fields (set on create, PATCH, null removes, shown by
// GET), the 422s that name the place inside a bad one, a hostile 10,000-level filter, and
// POST /api/destinations/:id/filter-test against a sample or a stored event.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, expect422, type ErrorBody } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { countConfigRows, useApp } from "../../support/harness";
import { useSink } from "../../support/sink";
import { fireTrigger, onlyDelivery } from "../../support/trigger";

const app = useApp();
const sink = useSink();

interface DestinationBody {
  id: string;
  filter: Record<string, unknown> | null;
  transform: string | null;
  maxConcurrency: number;
}

const transform = "function transform(event) {\n  return { body: event.body };\n}\n";
const orderFilter = { body: { type: ["order.created"], total: { numeric: [">", 10] } } };

async function getDestination(id: string): Promise<DestinationBody> {
  const result = await call<DestinationBody>(app.url, "GET", `/api/destinations/${id}`);
  expect(result.status, result.text).toBe(200);
  return result.body;
}

async function newCallback(destination: Record<string, unknown> = {}) {
  return createCallback(app.url, { name: `filters-${randomUUID().slice(0, 8)}`, destinations: [{ ...httpDestination(`${sink.url}/fields`), ...destination }] });
}

describe("filter and transform on a destination", () => {
  it("are stored on create (inside a callback's destinations), shown by GET and the callback, changed by PATCH and removed by null", async () => {
    const callback = await newCallback({ filter: orderFilter, transform });
    const id = callback.destinations[0]?.id ?? "";
    expect(await getDestination(id)).toMatchObject({ filter: orderFilter, transform });
    const shown = await call<{ destinations: DestinationBody[] }>(app.url, "GET", `/api/callbacks/${callback.id}`);
    expect(shown.body.destinations[0]).toMatchObject({ filter: orderFilter, transform });

    // An unrelated change keeps both.
    expect((await call(app.url, "PATCH", `/api/destinations/${id}`, { body: { maxConcurrency: 3 } })).status).toBe(200);
    expect(await getDestination(id)).toMatchObject({ filter: orderFilter, transform, maxConcurrency: 3 });

    const other = { headers: { "x-kind": { "equals-ignore-case": "push" } } };
    const patched = await call<DestinationBody>(app.url, "PATCH", `/api/destinations/${id}`, { body: { filter: other } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ filter: other, transform });

    const removed = await call<DestinationBody>(app.url, "PATCH", `/api/destinations/${id}`, { body: { filter: null, transform: null } });
    expect(removed.status, removed.text).toBe(200);
    expect(await getDestination(id)).toMatchObject({ filter: null, transform: null });
  });

  it("default to none on a destination created without them, and are set by a single-destination create", async () => {
    const callback = await newCallback();
    expect(await getDestination(callback.destinations[0]?.id ?? "")).toMatchObject({ filter: null, transform: null });
    const created = await call<DestinationBody>(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, {
      body: { ...httpDestination(`${sink.url}/second`), filter: orderFilter },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ filter: orderFilter, transform: null });
  });

  it("a malformed filter is a 422 naming the place inside it, and nothing is written", async () => {
    const before = await countConfigRows(app.db);
    const refused = await call<ErrorBody>(app.url, "POST", "/api/callbacks", {
      body: { name: "bad-filter", destinations: [{ ...httpDestination(`${sink.url}/x`), filter: { body: { total: { numeric: [">", "ten"] } } } }] },
    });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.error.code).toBe("validation_failed");
    expect(refused.body.error.field).toMatch(/^destinations\.0\.filter\.body\.total/);
    expect(await countConfigRows(app.db)).toEqual(before);

    const callback = await newCallback({ filter: orderFilter });
    const id = callback.destinations[0]?.id ?? "";
    const badPatch = await call<ErrorBody>(app.url, "PATCH", `/api/destinations/${id}`, { body: { filter: { body: { type: { prefix: 5 } } } } });
    expect(badPatch.status, badPatch.text).toBe(422);
    expect(badPatch.body.error.field).toMatch(/^filter\.body\.type/);
    expect((await getDestination(id)).filter).toEqual(orderFilter);
  });

  it("a transform with a syntax error is a 422 naming transform and its line", async () => {
    const callback = await newCallback();
    const id = callback.destinations[0]?.id ?? "";
    const refused = await call<ErrorBody>(app.url, "PATCH", `/api/destinations/${id}`, { body: { transform: "function transform(event) {\n  return {;\n}" } });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.error.field).toBe("transform");
    expect(refused.body.error.message).toMatch(/line 2/);
    expect((await getDestination(id)).transform).toBeNull();
  });

  it("a filter nested 10,000 levels deep is refused with 422 and the function keeps answering", async () => {
    const before = await countConfigRows(app.db);
    const deep = `${'{"body":'.repeat(10_000)}"x"${"}".repeat(10_000)}`;
    const raw = `{"name":"deep-filter","destinations":[{"kind":"http","name":"d","config":{"url":"${sink.url}/deep"},"filter":${deep}}]}`;
    const refused = await call<ErrorBody>(app.url, "POST", "/api/callbacks", { raw, headers: { "content-type": "application/json" } });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.error.code).toBe("validation_failed");
    expect(refused.body.error.field).toMatch(/^destinations\.0\.filter/);
    expect(await countConfigRows(app.db)).toEqual(before);

    const callback = await newCallback();
    const delivered = await waitForDelivery(app.url, onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { still: "alive" } })), ["succeeded"]);
    expect(delivered.status).toBe("succeeded");
  });
});

describe("POST /api/destinations/:id/filter-test", () => {
  const test = (id: string, body: unknown, token?: string | null) =>
    call<{ matched: boolean; reasons: string[] } & ErrorBody>(app.url, "POST", `/api/destinations/${id}/filter-test`, { body, token });

  it("runs the stored filter, or the one given, against a sample and says why it did not match", async () => {
    const callback = await newCallback({ filter: orderFilter });
    const id = callback.destinations[0]?.id ?? "";
    const matched = await test(id, { sample: { body: { type: "order.created", total: 11 } } });
    expect(matched.status, matched.text).toBe(200);
    expect(matched.body.matched).toBe(true);

    const missed = await test(id, { sample: { body: { type: "order.updated", total: 11 } } });
    expect(missed.body.matched).toBe(false);
    expect(missed.body.reasons.join("\n")).toMatch(/body\.type/);

    const given = await test(id, { filter: { headers: { "X-Source": "shop" } }, sample: { headers: { "x-source": "shop" } } });
    expect(given.body.matched).toBe(true);
    // The test changes nothing.
    expect((await getDestination(id)).filter).toEqual(orderFilter);
  });

  it("runs against a stored event of the destination's callback; another callback's event is a 404", async () => {
    const callback = await newCallback();
    const id = callback.destinations[0]?.id ?? "";
    const answer = await fireTrigger(callback.triggerUrl, { body: { type: "order.created", total: 50 }, query: "?shop=eu" });
    await waitForDelivery(app.url, onlyDelivery(answer), ["succeeded"]);

    const onEvent = await test(id, { filter: { ...orderFilter, query: { shop: ["eu"] } }, eventId: answer.eventId });
    expect(onEvent.status, onEvent.text).toBe(200);
    expect(onEvent.body.matched).toBe(true);
    const notMatching = await test(id, { filter: { body: { total: { numeric: ["<", 10] } } }, eventId: answer.eventId });
    expect(notMatching.body).toMatchObject({ matched: false });
    expect(notMatching.body.reasons.join("\n")).toMatch(/body\.total/);

    const stranger = await newCallback();
    const elsewhere = await test(stranger.destinations[0]?.id ?? "", { filter: orderFilter, eventId: answer.eventId });
    expect(elsewhere.status, elsewhere.text).toBe(404);
    expect((await test(id, { eventId: randomUUID() })).status).toBe(404);
    expect((await test(randomUUID(), { sample: {} })).status).toBe(404);
  });

  it("refuses bad input with 422 naming the field, and anyone without credentials with 401", async () => {
    const callback = await newCallback();
    const id = callback.destinations[0]?.id ?? "";
    const bad = await test(id, { filter: { body: { total: { numeric: [">", "ten"] } } }, sample: {} });
    expect(bad.status, bad.text).toBe(422);
    expect(bad.body.error.field).toMatch(/^filter\.body\.total/);
    expect422(await test(id, { sample: {}, eventId: randomUUID() }), "eventId", /either sample or eventId/);
    expect((await test(id, { sample: {} }, null)).status).toBe(401);
  });
});
