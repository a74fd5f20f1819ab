// Hostile input: every case gets a clear 4xx and leaves the database as it was.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeyValueStore } from "@/lib/redis";
import { createMemoryStore } from "@/lib/redis/memory-store";
import { call, type ErrorBody } from "../../support/api";
import { createCallback, httpDestination, type CreatedCallback } from "../../support/fixtures";
import { useApp, countConfigRows } from "../../support/harness";
import { rawRequest } from "../../support/raw-http";
import { startSink, type Sink } from "../../support/sink";

const app = useApp();
let sink: Sink;
let callback: CreatedCallback;

beforeAll(async () => {
  sink = await startSink();
  callback = await createCallback(app.url, { name: "hostile", maxBodyBytes: 4096, destinations: [httpDestination(`${sink.url}/h`)] });
});
afterAll(async () => {
  await sink.close();
});

describe("hostile operator input", () => {
  const bodies: Array<[string, string, number]> = [
    ["truncated JSON", '{"name": "x"', 400],
    ["a JSON array", "[1,2,3]", 422],
    ["a JSON string", '"callback"', 422],
    ["JSON null", "null", 422],
    ["non-UTF-8 bytes", "\u00ff\u00fe{", 400],
    ["deeply nested JSON", `{"name":"x","variables":${"[".repeat(5000)}${"]".repeat(5000)}}`, 422],
    ["prototype pollution", '{"name":"x","__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}', 422],
  ];

  it.each(bodies)("%s → %d with a JSON error, nothing written", async (_label, raw, status) => {
    const before = await countConfigRows(app.db);
    const result = await call<ErrorBody>(app.url, "POST", "/api/callbacks", { raw, headers: { "content-type": "application/json" } });
    expect(result.status).toBe(status);
    expect(result.body.error.code).toMatch(/bad_request|validation_failed/);
    expect(await countConfigRows(app.db)).toEqual(before);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it("refuses an oversized operator body with 413", async () => {
    const result = await call<ErrorBody>(app.url, "POST", "/api/callbacks", { body: { name: "x".repeat(1_100_000) } });
    expect(result.status).toBe(413);
  });

  const sqlish = ["'; drop table callbacks; --", '" OR 1=1 --', "x'); delete from secrets; --", "${7*7}{{7*7}}<%= 7*7 %>"];

  it.each(sqlish)("stores %j literally as a name and leaves every table intact", async (name) => {
    const before = await countConfigRows(app.db);
    const created = await call<{ id: string; name: string }>(app.url, "POST", "/api/callbacks", { body: { name } });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(name);
    expect((await call<{ name: string }>(app.url, "GET", `/api/callbacks/${created.body.id}`)).body.name).toBe(name);
    expect((await countConfigRows(app.db)).callbacks).toBe((before.callbacks ?? 0) + 1);
  });

  const badPaths = ["../../etc/passwd", "a/./b", "a//b", "%2e%2e/x", "a b", "a\\b", "a?x=1", "a#b", "\u0000x"];

  it.each(badPaths)("refuses the custom path %j with 422 naming the field", async (path) => {
    const result = await call<ErrorBody>(app.url, "POST", "/api/callbacks", { body: { name: "p", path } });
    expect(result.status).toBe(422);
    expect(result.body.error.field).toBe("path");
  });

  it("refuses CR/LF in a static destination header with 422 naming the header", async () => {
    const result = await call<ErrorBody>(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, {
      body: httpDestination(sink.url, { headers: { "X-Evil": "a\r\nSet-Cookie: pwned=1" } }),
    });
    expect(result.status).toBe(422);
    expect(result.body.error.field).toBe("config.headers.X-Evil");
  });

  it("refuses a header name that is not a token", async () => {
    const result = await call<ErrorBody>(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, {
      body: httpDestination(sink.url, { headers: { "X Evil:": "v" } }),
    });
    expect(result.status).toBe(422);
  });
});

describe("hostile list and search parameters", () => {
  const search = encodeURIComponent('{"body":{"type":"order.paid"}}');
  const cases: Array<[string, string]> = [
    ["/api/deliveries?filter=not-json", "filter"],
    [`/api/deliveries?filter=${encodeURIComponent('{"body":{"a":{"$nope":1}}}')}`, "filter.body.a.$nope"],
    [`/api/deliveries?filter=${search}&cursor=${"f".repeat(32)}----`, "cursor"],
    [`/api/deliveries?filter=${search}&after=zzz`, "after"],
    ["/api/deliveries?from=2026-02-31T00:00:00Z", "from"],
    ["/api/deliveries?limit=1e400", "limit"],
    ["/api/deliveries?status=lost", "status"],
    ["/api/deliveries?callbackId=1;drop", "callbackId"],
    ["/api/alerts?limit=0", "limit"],
  ];

  it.each(cases)("GET %s → 422 naming %s", async (path, field) => {
    const result = await call<ErrorBody>(app.url, "GET", path);
    expect(result.status, result.text).toBe(422);
    expect(result.body.error.field).toBe(field);
  });

  it("answers bad ids and bodies on the filter-test, bulk replay and handshake routes with a 4xx naming the field", async () => {
    const destinationId = callback.destinations[0]?.id ?? "";
    expect((await call(app.url, "GET", "/api/callbacks/not-a-uuid/handshakes")).status).toBe(404);
    const filterTest = await call<ErrorBody>(app.url, "POST", `/api/destinations/${destinationId}/filter-test`, { body: { eventId: "1 or 1=1" } });
    expect([filterTest.status, filterTest.body.error.field]).toEqual([422, "eventId"]);
    const replay = await call<ErrorBody>(app.url, "POST", `/api/destinations/${destinationId}/replay`, { body: { from: "2026-02-31T00:00:00Z", to: "2026-03-31T00:00:00Z" } });
    expect([replay.status, replay.body.error.field]).toEqual([422, "from"]);
  });
});

describe("hostile triggers", () => {
  it("refuses a body over the limit, and the next trigger still works", async () => {
    const result = await fetch(callback.triggerUrl, { method: "POST", body: "x".repeat(10_000) });
    expect(result.status).toBe(413);
    expect((await fetch(callback.triggerUrl, { method: "POST", body: "{}" })).status).toBe(202);
  });

  it("accepts non-UTF-8 bytes as a base64 body instead of mangling them", async () => {
    const result = await fetch(callback.triggerUrl, { method: "POST", body: new Uint8Array([0xc0, 0xaf, 0xff]) });
    expect(result.status).toBe(202);
  });

  it("answers 10,000 headers with 431 before any work, and stays healthy", async () => {
    const port = Number(new URL(app.url).port);
    const path = new URL(callback.triggerUrl).pathname;
    const headers = Array.from({ length: 10_000 }, (_unused, index) => `x-h${index}: v`).join("\r\n");
    const response = await rawRequest(port, `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${headers}\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`);
    expect(response.status).toBe(431);
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
  });

  it.each([
    ["/api/hooks/..%2f..%2fcallbacks", 404],
    ["/api/hooks/%00", 404],
    ["/api/hooks/a%0d%0aset-cookie:x", 404],
    // Dot segments are resolved before routing: this lands on the operator API, which wants a token.
    ["/api/hooks/../callbacks", 401],
  ])("treats the traversal %s as an unknown or protected path (%i)", async (path, status) => {
    const port = Number(new URL(app.url).port);
    const response = await rawRequest(port, `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`);
    expect(response.status).toBe(status);
  });

  it("a flood of random tokens keeps the in-process store (used without Redis) within its cap, and real triggers still work", async () => {
    const holder = globalThis as typeof globalThis & { __switchyardRedis?: { store?: KeyValueStore } };
    holder.__switchyardRedis ??= {};
    const saved = holder.__switchyardRedis.store;
    const store = createMemoryStore({ maxEntries: 100 });
    holder.__switchyardRedis.store = store;
    try {
      const origin = new URL(callback.triggerUrl).origin;
      for (let sent = 0; sent < 300; sent += 1) {
        const answer = await fetch(`${origin}/api/trigger/sy_${randomBytes(24).toString("base64url")}`, { method: "POST", body: "{}" });
        expect(answer.status).toBe(404);
        await answer.arrayBuffer();
      }
      // Each unknown token left a short-lived miss entry; the cap evicted the oldest.
      expect(store.size).toBeGreaterThan(0);
      expect(store.size).toBeLessThanOrEqual(100);
      expect((await fetch(callback.triggerUrl, { method: "POST", body: "{}" })).status).toBe(202);
    } finally {
      holder.__switchyardRedis.store = saved;
    }
  });

  it("does not let a trigger body smuggle a second request through a lying content-length", async () => {
    const port = Number(new URL(app.url).port);
    const path = new URL(callback.triggerUrl).pathname;
    const response = await rawRequest(port, `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n0\r\n\r\n`);
    expect(response.status).toBe(400);
  });
});
