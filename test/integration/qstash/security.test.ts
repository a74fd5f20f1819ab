import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { postSigned, signLikeQstash } from "../../support/qstash-signing";
import { useSink } from "../../support/sink";
import { uuidv7 } from "@/lib/ids";
import { parseServerTiming } from "@/lib/http/server-timing";

const app = useApp();
const sink = useSink();

function jobFor(callbackId: string, destinationId: string, deliveryId = uuidv7()) {
  return JSON.stringify({
    v: 1,
    deliveryId,
    eventId: uuidv7(),
    callbackId,
    destinationId,
    kind: "http",
    request: { method: "POST", path: "/t", query: {}, headers: {}, body: "{}", bodyEncoding: "utf8", receivedAt: new Date().toISOString() },
  });
}

async function deliveryRowCount(id: string): Promise<number> {
  const rows = await app.db.selectFrom("deliveries").select("id").where("id", "=", id).execute();
  return rows.length;
}

describe("QStash signature on /api/deliver", () => {
  let callbackId = "";
  let destinationId = "";
  beforeAll(async () => {
    const callback = await createCallback(app.url, { name: "sig", destinations: [httpDestination(`${sink.url}/sig`)] });
    callbackId = callback.id;
    destinationId = callback.destinations[0]?.id ?? "";
  });

  const forgeries: Array<[string, (url: string, body: string) => Promise<string | null>]> = [
    ["missing", async () => null],
    ["signed with another key", (url, body) => signLikeQstash({ url, body, key: "sig_not_the_real_key_at_all_0000" })],
    ["expired", (url, body) => signLikeQstash({ url, body, issuedAt: Math.floor(Date.now() / 1000) - 3600 })],
    ["for another URL", (_url, body) => signLikeQstash({ url: "https://attacker.example/api/deliver", body })],
    ["for another body", (url, body) => signLikeQstash({ url, body, bodyHashOf: `${body} ` })],
    ["garbage", async () => "not.a.jwt"],
  ];

  it.each(forgeries)("a %s signature is refused with 401 and records nothing", async (_label, sign) => {
    const deliveryId = uuidv7();
    const body = jobFor(callbackId, destinationId, deliveryId);
    const url = `${app.url}/api/deliver`;
    const response = await postSigned(url, body, await sign(url, body));
    expect(response.status).toBe(401);
    expect(response.headers.get("server-timing")).toBeNull();
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_signature");
    expect(await deliveryRowCount(deliveryId)).toBe(0);
    expect(sink.requests).toHaveLength(0);
  });

  it("a genuine signature is accepted (the control for the cases above)", async () => {
    const deliveryId = uuidv7();
    const body = jobFor(callbackId, destinationId, deliveryId);
    const url = `${app.url}/api/deliver`;
    const response = await postSigned(url, body, await signLikeQstash({ url, body }));
    expect(response.status).toBe(200);
    expect(await deliveryRowCount(deliveryId)).toBe(1);
    // Where the call's time went, phase by phase; forged calls above get no such header.
    const phases = parseServerTiming(response.headers.get("server-timing"));
    expect(Object.keys(phases)).toEqual(["verify", "read", "send", "record", "close"]);
    expect(Object.values(phases).every((duration) => duration >= 0 && duration < 10_000)).toBe(true);
  });

  it("a replayed genuine request does not deliver twice", async () => {
    const deliveryId = uuidv7();
    const body = jobFor(callbackId, destinationId, deliveryId);
    const url = `${app.url}/api/deliver`;
    const signature = await signLikeQstash({ url, body });
    expect((await postSigned(url, body, signature)).status).toBe(200);
    const again = await postSigned(url, body, signature);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { duplicate?: boolean }).duplicate).toBe(true);
    expect(sink.requests.filter((request) => request.headers["webhook-id"] === deliveryId)).toHaveLength(1);
  });

  it("the failure callback needs its own URL in the signature", async () => {
    const failureBody = JSON.stringify({ status: 500, retried: 3, sourceBody: Buffer.from(jobFor(callbackId, destinationId)).toString("base64") });
    const wrongUrl = await signLikeQstash({ url: `${app.url}/api/deliver`, body: failureBody });
    expect((await postSigned(`${app.url}/api/deliver/failed`, failureBody, wrongUrl)).status).toBe(401);
  });

  it("the failure callback marks a queued delivery dead, keeping the last error", async () => {
    const deliveryId = uuidv7();
    const job = jobFor(callbackId, destinationId, deliveryId);
    const failureBody = JSON.stringify({
      status: 503,
      body: Buffer.from('{"error":"HTTP 503"}').toString("base64"),
      retried: 3,
      maxRetries: 3,
      sourceMessageId: "msg_test",
      sourceBody: Buffer.from(job).toString("base64"),
    });
    const url = `${app.url}/api/deliver/failed`;
    const response = await postSigned(url, failureBody, await signLikeQstash({ url, body: failureBody }));
    expect(response.status).toBe(200);
    const detail = await waitForDelivery(app.url, deliveryId, ["dead"]);
    expect(detail.lastError).toContain("Gave up after 4 attempt(s)");
    expect(detail.lastError).toContain("HTTP 503");
  });

  it("a deleted destination is recorded as skipped, without retry", async () => {
    const callback = await createCallback(app.url, { name: "skip", destinations: [httpDestination(`${sink.url}/skip`)] });
    const destination = callback.destinations[0]?.id ?? "";
    expect((await call(app.url, "DELETE", `/api/destinations/${destination}`)).status).toBe(204);
    const deliveryId = uuidv7();
    const body = jobFor(callback.id, destination, deliveryId);
    const url = `${app.url}/api/deliver`;
    const response = await postSigned(url, body, await signLikeQstash({ url, body }));
    expect(response.status).toBe(200);
    const detail = await waitForDelivery(app.url, deliveryId, ["skipped"]);
    expect(detail.lastError).toBe("The destination was deleted");
  });
});

describe("trigger route protections", () => {
  it("answers an unknown token and a near-miss token with the same 404", async () => {
    const callback = await createCallback(app.url, { name: "tokens", destinations: [httpDestination(sink.url)] });
    const nearMiss = `${callback.token.slice(0, -1)}${callback.token.endsWith("A") ? "B" : "A"}`;
    const unknown = await fetch(`${app.url}/api/trigger/sy_${randomUUID()}`, { method: "POST" });
    const near = await fetch(`${app.url}/api/trigger/${nearMiss}`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(near.status).toBe(404);
    expect(await near.text()).toBe(await unknown.text());
  });

  it("answers 404 for a disabled callback", async () => {
    const callback = await createCallback(app.url, { name: "disabled", enabled: false, destinations: [httpDestination(sink.url)] });
    expect((await fetch(callback.triggerUrl, { method: "POST" })).status).toBe(404);
  });

  it("refuses a body over the callback's limit with 413, by header and by stream", async () => {
    const callback = await createCallback(app.url, { name: "small", maxBodyBytes: 1000, destinations: [httpDestination(sink.url)] });
    const big = "x".repeat(2000);
    expect((await fetch(callback.triggerUrl, { method: "POST", body: big })).status).toBe(413);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = await fetch(callback.triggerUrl, { method: "POST", body: streamed, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("rate-limits per callback with 429, Retry-After and RateLimit headers, and recovers when the limit allows", async () => {
    const callback = await createCallback(app.url, { name: "limited", rateLimitPerMinute: 2, destinations: [httpDestination(sink.url)] });
    const first = await fetch(callback.triggerUrl, { method: "POST", body: "{}" });
    expect(first.status).toBe(202);
    expect(first.headers.get("ratelimit-limit")).toBe("2");
    expect(first.headers.get("ratelimit-remaining")).toBe("1");
    expect((await fetch(callback.triggerUrl, { method: "POST", body: "{}" })).status).toBe(202);
    const limited = await fetch(callback.triggerUrl, { method: "POST", body: "{}" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    await call(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { rateLimitPerMinute: 10 } });
    expect((await fetch(callback.triggerUrl, { method: "POST", body: "{}" })).status).toBe(202);
  });
});
