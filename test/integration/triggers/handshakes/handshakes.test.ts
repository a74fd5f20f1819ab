// Verification handshakes at the trigger URL, with each provider's own documented example values
// (request in, exact answer out): the answer is synchronous, recorded as a "handshake" event and
// never fanned out (no delivery, nothing at the sink); a handshake that does not verify is a
// 401/403 and records nothing; a preset that does not fit the methods is a 422 at save.
import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expect422 } from "../../../support/api";
import { createCallback, httpDestination, listDeliveries, type CreatedCallback } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { useSink } from "../../../support/sink";
import { fireTrigger } from "../../../support/trigger";

const app = useApp();
const sink = useSink();

async function eventsOf(callbackId: string) {
  return app.db.selectFrom("events").select(["kind", "method", "body"]).where("callback_id", "=", callbackId).execute();
}

async function expectNothingFannedOut(callback: CreatedCallback, path: string): Promise<void> {
  expect(await listDeliveries(app.url, `callbackId=${callback.id}`)).toHaveLength(0);
  expect(sink.requests.filter((request) => request.path === path)).toHaveLength(0);
}

async function withHandshake(name: string, body: Record<string, unknown>): Promise<CreatedCallback> {
  return createCallback(app.url, { name, destinations: [httpDestination(`${sink.url}/${name}`)], ...body });
}

// api.slack.com/events/url_verification; the signing secret of "Verifying requests from Slack".
const slackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
const slackChallenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P";
const slackEvent = JSON.stringify({ token: "Jhj5dZrVaK7ZwHHjRyZWjbDl", challenge: slackChallenge, type: "url_verification" });
const slackHeaders = (payload: string, secret = slackSecret, timestamp = Math.floor(Date.now() / 1000)) => ({
  "content-type": "application/json",
  "x-slack-request-timestamp": String(timestamp),
  "x-slack-signature": `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${payload}`).digest("hex")}`,
});

describe("slack", () => {
  let callback: CreatedCallback;
  beforeAll(async () => {
    callback = await withHandshake("hs-slack", { handshake: { type: "slack" }, inboundAuth: { type: "slack", secret: slackSecret } });
  });

  it("answers a signed url_verification with its challenge as text/plain, records it and sends nothing on", async () => {
    const response = await fetch(callback.triggerUrl, { method: "POST", headers: slackHeaders(slackEvent), body: slackEvent });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(slackChallenge);
    expect(await eventsOf(callback.id)).toEqual([{ kind: "handshake", method: "POST", body: slackEvent }]);
    await expectNothingFannedOut(callback, "/hs-slack");
  });

  it("refuses an unsigned or stale url_verification with 401 and records nothing", async () => {
    const before = (await eventsOf(callback.id)).length;
    const unsigned = await fireTrigger(callback.triggerUrl, { raw: slackEvent, headers: { "content-type": "application/json" } });
    const stale = await fireTrigger(callback.triggerUrl, { raw: slackEvent, headers: slackHeaders(slackEvent, slackSecret, Math.floor(Date.now() / 1000) - 301) });
    const wrongSecret = await fireTrigger(callback.triggerUrl, { raw: slackEvent, headers: slackHeaders(slackEvent, "another-secret") });
    expect([unsigned.status, stale.status, wrongSecret.status]).toEqual([401, 401, 401]);
    expect(stale.text).toContain("X-Slack-Request-Timestamp is outside the 300 s tolerance");
    expect(await eventsOf(callback.id)).toHaveLength(before);
  });

  it("sends a signed event on as a trigger (202), keyed by its event_id", async () => {
    const payload = JSON.stringify({ type: "event_callback", event_id: "Ev0PV52K21", event: { type: "app_mention" } });
    const first = await fireTrigger(callback.triggerUrl, { raw: payload, headers: slackHeaders(payload) });
    const retry = await fireTrigger(callback.triggerUrl, { raw: payload, headers: { ...slackHeaders(payload), "x-slack-retry-num": "1" } });
    expect(first.status, first.text).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.eventId).toBe(first.eventId);
    expect(first.deliveries).toHaveLength(1);
  });
});

describe("meta", () => {
  let callback: CreatedCallback;
  beforeAll(async () => {
    callback = await withHandshake("hs-meta", { methods: ["GET", "POST"], handshake: { type: "meta", secret: "meatyhamhock" }, inboundAuth: { type: "meta", secret: "meta-app-secret" } });
  });

  // developers.facebook.com/docs/graph-api/webhooks/getting-started: the sample verification request.
  it("answers the documented verification GET with hub.challenge as text/plain", async () => {
    const response = await fetch(`${callback.triggerUrl}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("1158201444");
    expect((await eventsOf(callback.id)).map((event) => [event.kind, event.method])).toEqual([["handshake", "GET"]]);
    // The verify token is the secret itself: the recorded request masks it.
    const [recorded] = await app.db.selectFrom("events").select("query").where("callback_id", "=", callback.id).execute();
    expect(recorded?.query).toEqual({ "hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": "***" });
    await expectNothingFannedOut(callback, "/hs-meta");
  });

  it("refuses a wrong verify token with 403 and records nothing", async () => {
    const answer = await fireTrigger(callback.triggerUrl, { method: "GET", query: "?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess" });
    expect(answer.status).toBe(403);
    expect(answer.text).toContain("hub.verify_token");
    expect(await eventsOf(callback.id)).toHaveLength(1);
  });

  it("checks X-Hub-Signature-256 on events (inbound preset meta)", async () => {
    const payload = '{"object":"page","entry":[]}';
    const signature = `sha256=${createHmac("sha256", "meta-app-secret").update(payload).digest("hex")}`;
    expect((await fireTrigger(callback.triggerUrl, { raw: payload, headers: { "x-hub-signature-256": signature } })).status).toBe(202);
    expect((await fireTrigger(callback.triggerUrl, { raw: payload, headers: { "x-hub-signature-256": "sha256=00" } })).status).toBe(401);
  });
});

describe("zoom", () => {
  const secret = "zoom_example_secret_token";
  // developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint: the sample request;
  // the expected token is HMAC-SHA256(secret, plainToken) in hex, computed with openssl.
  const payload = JSON.stringify({ payload: { plainToken: "qgg8vlvZRS6UdO3Z-BvbYw" }, event_ts: 1654503849680, event: "endpoint.url_validation" });
  const signed = (body: string, key = secret) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return { "content-type": "application/json", "x-zm-request-timestamp": timestamp, "x-zm-signature": `v0=${createHmac("sha256", key).update(`v0:${timestamp}:${body}`).digest("hex")}` };
  };
  let callback: CreatedCallback;
  beforeAll(async () => {
    callback = await withHandshake("hs-zoom", { handshake: { type: "zoom", secret }, inboundAuth: { type: "zoom", secret } });
  });

  it("answers a signed endpoint.url_validation with {plainToken, encryptedToken}", async () => {
    const response = await fetch(callback.triggerUrl, { method: "POST", headers: signed(payload), body: payload });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ plainToken: "qgg8vlvZRS6UdO3Z-BvbYw", encryptedToken: "facda2fa2fa9bc8d18493fadda009a14af549cfa31daed9ccce207e335cadbae" });
    expect((await eventsOf(callback.id)).map((event) => event.kind)).toEqual(["handshake"]);
    await expectNothingFannedOut(callback, "/hs-zoom");
  });

  it("refuses a validation signed with another secret (401), recording nothing", async () => {
    const answer = await fireTrigger(callback.triggerUrl, { raw: payload, headers: signed(payload, "not-the-secret") });
    expect(answer.status).toBe(401);
    expect(await eventsOf(callback.id)).toHaveLength(1);
  });
});

describe("x", () => {
  let callback: CreatedCallback;
  beforeAll(async () => {
    // The consumer secret and crc_token of X's own CRC sample (developer.x.com, "Securing webhooks").
    callback = await withHandshake("hs-x", { methods: ["GET", "POST"], handshake: { type: "x", secret: "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu" } });
  });

  it("answers the CRC GET with {response_token: sha256=base64(HMAC-SHA256)}", async () => {
    const response = await fetch(`${callback.triggerUrl}?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe('{"response_token":"sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8="}');
    expect((await eventsOf(callback.id)).map((event) => event.kind)).toEqual(["handshake"]);
    await expectNothingFannedOut(callback, "/hs-x");
  });

  it("a GET without crc_token is a normal trigger", async () => {
    expect((await fireTrigger(callback.triggerUrl, { method: "GET", query: "?a=1" })).status).toBe(202);
  });
});

describe("microsoft_graph", () => {
  it("echoes validationToken (decoded) as text/plain on the validation POST", async () => {
    const callback = await withHandshake("hs-graph", { handshake: { type: "microsoft_graph" } });
    const token = "Validation: Testing client application reachability for subscription Request-Id: 5a8d1a3d-1a2b-4c3d-9e8f-0a1b2c3d4e5f";
    const response = await fetch(`${callback.triggerUrl}?validationToken=${encodeURIComponent(token)}`, { method: "POST" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(token);
    await expectNothingFannedOut(callback, "/hs-graph");
  });
});

describe("dropbox", () => {
  it("echoes ?challenge= as text/plain with X-Content-Type-Options: nosniff", async () => {
    const callback = await withHandshake("hs-dropbox", { methods: ["GET", "POST"], handshake: { type: "dropbox" } });
    // www.dropbox.com/developers/reference/webhooks: https://www.example.com/dropbox-webhook?challenge=abc123
    const response = await fetch(`${callback.triggerUrl}?challenge=abc123`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.text()).toBe("abc123");
    await expectNothingFannedOut(callback, "/hs-dropbox");
  });

  it("counts toward the callback's rate limit: past it a 429, and no more handshake events are written", async () => {
    const callback = await withHandshake("hs-dropbox-limited", { methods: ["GET", "POST"], rateLimitPerMinute: 2, handshake: { type: "dropbox" } });
    const statuses: number[] = [];
    for (const challenge of ["one", "two", "three"]) statuses.push((await fetch(`${callback.triggerUrl}?challenge=${challenge}`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await eventsOf(callback.id)).filter((event) => event.kind === "handshake")).toHaveLength(2);
  });
});

describe("handshake configuration", () => {
  it.each([
    ["meta", { type: "meta", secret: "t" }, ["POST"], /arrives as GET/],
    ["x", { type: "x", secret: "t" }, ["POST"], /arrives as GET/],
    ["dropbox", { type: "dropbox" }, ["POST"], /arrives as GET/],
    ["slack", { type: "slack" }, ["GET"], /arrives as POST/],
  ])("refuses %s when its verification request's method is not accepted (422)", async (_name, handshake, methods, message) => {
    expect422(await call(app.url, "POST", "/api/callbacks", { body: { name: "hs-bad", methods, handshake } }), "handshake.type", message);
  });

  it.each([
    [{ type: "slack" }, { type: "github", secret: "s" }, /slack handshake needs inboundAuth none or slack, not github/],
    [{ type: "zoom", secret: "z" }, { type: "slack", secret: "s" }, /zoom handshake needs inboundAuth none or zoom/],
    [{ type: "sns" }, { type: "hmac", secret: "s", header: "X-Sig" }, /SNS messages carry their own signature/],
  ])("refuses %o with an inbound preset that would refuse its verification request (422)", async (handshake, inboundAuth, message) => {
    expect422(await call(app.url, "POST", "/api/callbacks", { body: { name: "hs-bad", handshake, inboundAuth } }), "inboundAuth.type", message);
  });

  it("refuses a PATCH that adds an unfitting inbound preset to an sns callback", async () => {
    const callback = await createCallback(app.url, { name: "hs-sns-patch", handshake: { type: "sns" } });
    expect422(await call(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { inboundAuth: { type: "github", secret: "g" } } }), "inboundAuth.type", /own signature/);
  });

  it("refuses a PATCH of methods that would drop the handshake's method", async () => {
    const callback = await createCallback(app.url, { name: "hs-patch", methods: ["GET", "POST"], handshake: { type: "dropbox" } });
    expect422(await call(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { methods: ["POST"] } }), "handshake.type", /add GET to methods/);
  });

  it.each([
    [{ type: "meta" }, "handshake.secret"],
    [{ type: "meta", secret: "***" }, "handshake.secret"],
    [{ type: "dropbox", secret: "x" }, "handshake"],
    [{ type: "telegram" }, "handshake.type"],
  ])("refuses %o naming %s", async (handshake, field) => {
    const result = await call<{ error: { field?: string } }>(app.url, "POST", "/api/callbacks", { body: { name: "hs-bad", methods: ["GET", "POST"], handshake } });
    expect(result.status, result.text).toBe(422);
    expect(result.body.error.field).toBe(field);
  });

  it("shows the secret masked, seals it at rest and keeps it on a masked PATCH", async () => {
    const callback = await createCallback(app.url, { name: "hs-mask", methods: ["GET"], handshake: { type: "meta", secret: "sealed-verify-token-9" } });
    const fetched = await call<{ handshake: unknown }>(app.url, "GET", `/api/callbacks/${callback.id}`);
    expect(fetched.body.handshake).toEqual({ type: "meta", secret: "***" });
    const row = await app.db.selectFrom("callbacks").selectAll().where("id", "=", callback.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain("sealed-verify-token-9");
    await call(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { name: "hs-mask-2", handshake: { type: "meta", secret: "***" } } });
    const answer = await fireTrigger(callback.triggerUrl, { method: "GET", query: "?hub.mode=subscribe&hub.challenge=42&hub.verify_token=sealed-verify-token-9" });
    expect([answer.status, answer.text]).toEqual([200, "42"]);
  });

  it("fails closed (401) when a stored handshake is unreadable, as inboundAuth does", async () => {
    const callback = await createCallback(app.url, { name: "hs-unreadable" });
    // Written behind the API's back before the first trigger, so the trigger cache reads this row.
    await app.db
      .updateTable("callbacks")
      .set({ handshake: JSON.stringify({ type: "telegram" }) })
      .where("id", "=", callback.id)
      .execute();
    const answer = await fireTrigger(callback.triggerUrl, { raw: "{}" });
    expect(answer.status).toBe(401);
    expect(answer.text).toContain("handshake of this callback is misconfigured");
  });

  it("keeps handshake events out of the delivery log", async () => {
    const callback = await createCallback(app.url, { name: "hs-log", methods: ["GET"], handshake: { type: "dropbox" } });
    expect(await (await fetch(`${callback.triggerUrl}?challenge=zz`)).text()).toBe("zz");
    const log = await call<{ items: unknown[] }>(app.url, "GET", `/api/deliveries?callbackId=${callback.id}`);
    expect(log.status).toBe(200);
    expect(log.body.items).toEqual([]);
    expect((await eventsOf(callback.id)).map((event) => event.kind)).toEqual(["handshake"]);
    const listed = await call<{ items: Array<{ method: string; query: Record<string, string> }> }>(app.url, "GET", `/api/callbacks/${callback.id}/handshakes`);
    expect(listed.body.items.map((item) => [item.method, item.query])).toEqual([["GET", { challenge: "zz" }]]);
    expect((await call(app.url, "GET", `/api/callbacks/${callback.id}/handshakes`, { token: null })).status).toBe(401);
    expect((await call(app.url, "GET", "/api/callbacks/00000000-0000-7000-8000-000000000000/handshakes")).status).toBe(404);
  });
});
