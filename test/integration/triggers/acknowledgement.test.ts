// A callback's custom acknowledgement as the sender sees it: the configured status, headers and
// body rendered over the request and the trigger's ids (checked against the deliveries the log
// lists), the same answer on an idempotent replay, no body on 204, and 422s at save.
import { beforeAll, describe, expect, it } from "vitest";
import { call, expect422, waitFor } from "../../support/api";
import { createCallback, httpDestination, listDeliveries, type CreatedCallback } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { useSink } from "../../support/sink";

const app = useApp();
const sink = useSink();

describe("custom acknowledgement", () => {
  let callback: CreatedCallback;
  beforeAll(async () => {
    callback = await createCallback(app.url, {
      name: "ack-json",
      destinations: [httpDestination(`${sink.url}/ack-a`), httpDestination(`${sink.url}/ack-b`)],
      response: {
        status: 200,
        headers: { "X-Request-Echo": "{header.x-request-id}" },
        body: '{"received": true, "event": "{event_id}", "deliveries": {delivery_ids}, "callback": "{callback_id}", "order": "{body.order}"}',
      },
    });
  });

  it("answers the configured status, headers and rendered JSON body", async () => {
    const response = await fetch(callback.triggerUrl, { method: "POST", headers: { "content-type": "application/json", "x-request-id": "req-7" }, body: '{"order":"A-1"}' });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-request-echo")).toBe("req-7");
    // Served from the console's origin: never sniffed, never able to run anything.
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    const body = (await response.json()) as { event: string; deliveries: string[] };
    // Deliveries reach the log with their first attempt.
    const listed = await waitFor(async () => {
      const items = await listDeliveries(app.url, `callbackId=${callback.id}`);
      return items.length === 2 ? items : undefined;
    });
    expect(body).toEqual({ received: true, event: listed[0]?.eventId, deliveries: expect.arrayContaining(listed.map((item) => item.id)), callback: callback.id, order: "A-1" });
    expect(body.deliveries).toHaveLength(2);
  });

  it("answers an idempotent replay with the same acknowledgement", async () => {
    const send = () => fetch(callback.triggerUrl, { method: "POST", headers: { "idempotency-key": "ack-key-1", "x-request-id": "r" }, body: '{"order":"B-2"}' });
    const first = await send();
    const replay = await send();
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.text()).toBe(await first.text());
  });
});

describe("acknowledgement shapes", () => {
  it("answers 204 with no body", async () => {
    const callback = await createCallback(app.url, { name: "ack-204", response: { status: 204 } });
    const response = await fetch(callback.triggerUrl, { method: "POST", body: "{}" });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  it("renders a text body as text/plain", async () => {
    const callback = await createCallback(app.url, { name: "ack-text", response: { status: 201, body: "thanks {query.who}" } });
    const response = await fetch(`${callback.triggerUrl}?who=ops`, { method: "POST", body: "{}" });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("thanks ops");
  });

  it("keeps 202 with the JSON answer when no acknowledgement is set, and after it is cleared", async () => {
    const callback = await createCallback(app.url, { name: "ack-clear", response: { status: 204 } });
    await call(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { response: null } });
    const response = await fetch(callback.triggerUrl, { method: "POST", body: "{}" });
    expect(response.status).toBe(202);
    expect(Object.keys((await response.json()) as object)).toEqual(expect.arrayContaining(["eventId", "deliveries"]));
  });

  it.each([
    [{ status: 204, body: "no" }, "response.body", /204 answer has no body/],
    [{ status: 200, headers: { "Set-Cookie": "a=1" } }, "response.headers.Set-Cookie", /set by the server/],
    [{ status: 200, body: "{secret:TOKEN}" }, "response.body", /not available in an acknowledgement/],
    [{ status: 418 }, "response.status", /./],
  ])("refuses %o at save (422 naming %s)", async (response, field, message) => {
    expect422(await call(app.url, "POST", "/api/callbacks", { body: { name: "ack-bad", response } }), field, message);
  });

  it("refuses {delivery_ids} in a destination template", async () => {
    const result = await call(app.url, "POST", "/api/callbacks", { body: { name: "ack-dest", destinations: [httpDestination(`${sink.url}/x`, { body: '{"ids": {delivery_ids}}' })] } });
    expect(result.status).toBe(422);
    expect(result.text).toContain("{delivery_ids} is only available in a callback's acknowledgement");
  });
});
