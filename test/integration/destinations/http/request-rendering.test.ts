// Outbound HTTP through the whole pipeline: every method, URL/query/headers/body templated from
// the trigger, callback variables and a stored secret, against a real local server; what is
// recorded (response, timings, credentials masked); the per-destination timeout; redirects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { startSink, type Sink } from "../../../support/sink";
import { fireTrigger, onlyDelivery } from "../../../support/trigger";

const app = useApp();
let sink: Sink;
const secretName = `RENDER_KEY_${process.pid}`;
const secretValue = "render-secret-value-5f1c9a";

beforeAll(async () => {
  sink = await startSink();
  expect((await call(app.url, "POST", "/api/secrets", { body: { name: secretName, value: secretValue } })).status).toBe(201);
});
afterAll(async () => {
  await sink.close();
});

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

describe("templated HTTP requests", () => {
  it("each method reaches the server with URL, query, headers and body rendered as configured", async () => {
    const templated = (method: string) =>
      httpDestination(`${sink.url}/orders/{body.order.id}/${method.toLowerCase()}`, {
        method,
        query: { q: "{query.q}", region: "{var.region}" },
        headers: { "X-Req": "{header.X-Req}", "X-Key": `{secret:${secretName}}`, "X-Attempt": "{attempt}" },
        body: '{"id": {body.order.id}, "region": "{var.region}", "note": "{body.order.note}"}',
      });
    const callback = await createCallback(app.url, {
      name: "all-methods",
      variables: { region: "eu-west" },
      destinations: methods.map(templated),
    });
    const answer = await fireTrigger(callback.triggerUrl, {
      query: "?q=hello%20world",
      headers: { "X-Req": "req-123" },
      body: { order: { id: 77, note: 'say "hi"\n' } },
    });
    expect(answer.status).toBe(202);
    expect(answer.deliveries).toHaveLength(methods.length);
    for (const delivery of answer.deliveries) await waitForDelivery(app.url, delivery.id, ["succeeded"]);

    for (const method of methods) {
      const seen = sink.requests.find((request) => request.path.startsWith(`/orders/77/${method.toLowerCase()}?`));
      expect(seen?.method, method).toBe(method);
      expect(new URL(seen?.path ?? "/", sink.url).searchParams.get("q")).toBe("hello world");
      expect(seen?.path).toContain("region=eu-west");
      expect(seen?.headers["x-req"]).toBe("req-123");
      expect(seen?.headers["x-key"]).toBe(secretValue);
      expect(seen?.headers["x-attempt"]).toBe("1");
      if (method === "GET" || method === "HEAD") {
        expect(seen?.body).toBe("");
      } else {
        expect(JSON.parse(seen?.body ?? "null")).toEqual({ id: 77, region: "eu-west", note: 'say "hi"\n' });
        expect(seen?.headers["content-type"]).toBe("application/json");
      }
    }
  });

  it("records the response (status, headers, first 1 KB), timings and the request with the secret masked", async () => {
    const callback = await createCallback(app.url, {
      name: "recorded",
      destinations: [httpDestination(`${sink.url}/recorded`, { headers: { "X-Key": `{secret:${secretName}}` }, body: '{"a":1}' })],
    });
    const deliveryId = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: {} }));
    const detail = await waitForDelivery(app.url, deliveryId, ["succeeded"]);
    const attempt = detail.attemptsLog[0];
    expect(attempt?.request).toMatchObject({ method: "POST", url: `${sink.url}/recorded`, body: '{"a":1}', headers: { "x-key": "***", "webhook-id": deliveryId } });
    expect(attempt?.response).toMatchObject({ status: 200, headers: { "content-type": "application/json" }, body: expect.stringContaining('"ok":true') });
    expect((attempt?.response as { timings: { totalMs: number } }).timings.totalMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(detail)).not.toContain(secretValue);
  });

  it("a destination slower than its timeoutMs is a retryable timeout (dead once retries run out)", async () => {
    const silent = await startSink({ respond: () => undefined });
    const port = silent.port;
    try {
      const callback = await createCallback(app.url, {
        name: "slow",
        retries: 0,
        destinations: [httpDestination(`http://127.0.0.1:${port}/slow`, { timeoutMs: 300 })],
      });
      const deliveryId = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: {} }));
      const detail = await waitForDelivery(app.url, deliveryId, ["dead", "failed", "succeeded"]);
      expect(detail.status).toBe("dead");
      expect(detail.attemptsLog[0]?.outcome).toBe("retryable");
      expect(detail.lastError).toBe("Timeout: timed out after 300 ms");
    } finally {
      await silent.close();
    }
  });

  it("a 3xx is not followed by default: one attempt, permanent failure telling the operator what to set", async () => {
    sink.script([302], { location: "https://elsewhere.example/" });
    const callback = await createCallback(app.url, { name: "moved", destinations: [httpDestination(`${sink.url}/moved`)] });
    const deliveryId = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: {} }));
    const detail = await waitForDelivery(app.url, deliveryId, ["failed", "succeeded", "dead"]);
    expect(detail.status).toBe("failed");
    expect(detail.lastError).toBe("HTTP 302: redirect not followed (set followRedirects)");
    expect(detail.attempts).toBe(1);
  });

  it("with followRedirects a redirect is followed to its target", async () => {
    sink.script([307], { location: "/landed" });
    const callback = await createCallback(app.url, {
      name: "follow",
      destinations: [httpDestination(`${sink.url}/start`, { followRedirects: true, body: '{"keep":true}' })],
    });
    const deliveryId = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: {} }));
    const detail = await waitForDelivery(app.url, deliveryId, ["succeeded", "failed", "dead"]);
    expect(detail.status).toBe("succeeded");
    expect(detail.attemptsLog[0]?.request).toMatchObject({ url: `${sink.url}/landed`, redirects: [{ status: 307, location: "/landed" }] });
    const landed = sink.requests.find((request) => request.path === "/landed" && request.headers["webhook-id"] === deliveryId);
    expect(landed).toMatchObject({ method: "POST", body: '{"keep":true}' });
  });
});
