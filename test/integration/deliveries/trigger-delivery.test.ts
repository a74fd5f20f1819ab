import { describe, expect, it } from "vitest";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { startSink, useSink } from "../../support/sink";

const app = useApp();
const sink = useSink();

const allMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

interface TriggerAnswer {
  eventId: string;
  deliveries: Array<{ id: string; destinationId: string; messageId: string }>;
}

describe("trigger → QStash → delivery", () => {
  it.each(allMethods)("a %s trigger reaches the sink exactly as configured and is logged as succeeded", async (method) => {
    const callback = await createCallback(app.url, {
      name: `methods-${method}`,
      methods: allMethods,
      destinations: [httpDestination(`${sink.url}/in/${method}`, { method: "PUT", headers: { "X-Static": "yes" } })],
    });
    const sendsBody = !["GET", "HEAD", "OPTIONS"].includes(method);
    const response = await fetch(`${callback.triggerUrl}?source=test&tag=a&tag=b`, {
      method,
      headers: { "content-type": "application/json", "x-sender": "pipeline-test", authorization: "Bearer sender-secret" },
      body: sendsBody ? JSON.stringify({ order: 42, method }) : undefined,
    });
    expect(response.status).toBe(202);
    const text = await response.text();
    if (method === "HEAD") {
      expect(text).toBe("");
      return;
    }
    const answer = JSON.parse(text) as TriggerAnswer;
    expect(answer.deliveries).toHaveLength(1);
    const deliveryId = answer.deliveries[0]?.id ?? "";
    const detail = await waitForDelivery(app.url, deliveryId, ["succeeded", "failed", "dead"]);
    expect(detail.status).toBe("succeeded");
    expect(detail.attempts).toBe(1);
    expect(detail.attemptsLog).toHaveLength(1);
    expect(detail.attemptsLog[0]?.outcome).toBe("succeeded");

    const received = sink.requests.find((request) => request.headers["webhook-id"] === deliveryId);
    expect(received?.method).toBe("PUT");
    expect(received?.path).toBe(`/in/${method}`);
    expect(received?.headers["x-static"]).toBe("yes");
    const envelope = JSON.parse(received?.body ?? "{}") as { eventId: string; request: Record<string, unknown> };
    expect(envelope.eventId).toBe(answer.eventId);
    expect(envelope.request).toMatchObject({ method, query: { source: "test", tag: ["a", "b"] } });
    const headers = envelope.request.headers as Record<string, string>;
    expect(headers["x-sender"]).toBe("pipeline-test");
    expect(headers.authorization).toBe("***");
    if (sendsBody) expect(envelope.request.body).toEqual({ order: 42, method });
    // The sender's credentials never reach the log either.
    expect(JSON.stringify(detail)).not.toContain("sender-secret");
  });

  it("a HEAD trigger is delivered even though its answer has no body", async () => {
    const callback = await createCallback(app.url, {
      name: "head",
      methods: ["HEAD"],
      destinations: [httpDestination(`${sink.url}/head-check`)],
    });
    expect((await fetch(callback.triggerUrl, { method: "HEAD" })).status).toBe(202);
    await waitFor(async () => sink.requests.some((request) => request.path === "/head-check"), { what: "HEAD delivery" });
  });

  it("answers 405 with Allow for a method the callback does not accept", async () => {
    const callback = await createCallback(app.url, { name: "post-only", destinations: [httpDestination(sink.url)] });
    const response = await fetch(callback.triggerUrl, { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("fans out to every enabled destination with one answer listing them all", async () => {
    const callback = await createCallback(app.url, {
      name: "fan-out",
      destinations: [httpDestination(`${sink.url}/a`), httpDestination(`${sink.url}/b`), { ...httpDestination(`${sink.url}/off`), enabled: false }],
    });
    const answer = (await call<TriggerAnswer>(callback.triggerUrl, "POST", "", { body: { x: 1 }, token: null })).body;
    expect(answer.deliveries.map((delivery) => delivery.destinationId).sort()).toEqual(
      callback.destinations
        .slice(0, 2)
        .map((destination) => destination.id)
        .sort(),
    );
    for (const delivery of answer.deliveries) await waitForDelivery(app.url, delivery.id, ["succeeded"]);
    expect(sink.requests.some((request) => request.path === "/off")).toBe(false);
  });

  it("accepts triggers at a custom path, requiring the token header when configured", async () => {
    const path = `hooks-${Date.now()}/github`;
    const callback = await createCallback(app.url, {
      name: "custom-path",
      path,
      pathTokenHeader: "X-Trigger-Token",
      destinations: [httpDestination(`${sink.url}/custom`)],
    });
    const url = `${app.url}/api/hooks/${path}`;
    expect((await fetch(url, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(url, { method: "POST", body: "{}", headers: { "x-trigger-token": "wrong" } })).status).toBe(404);
    const ok = await fetch(url, { method: "POST", body: "{}", headers: { "x-trigger-token": callback.token } });
    expect(ok.status).toBe(202);
    const answer = (await ok.json()) as TriggerAnswer;
    const detail = await waitForDelivery(app.url, answer.deliveries[0]?.id ?? "", ["succeeded"]);
    expect(detail.event?.path).toBe(`/api/hooks/${path}`);
    expect(detail.event?.headers["x-trigger-token"]).toBe("***");
  });

  it("keeps a binary body intact as base64", async () => {
    const callback = await createCallback(app.url, { name: "binary", destinations: [httpDestination(`${sink.url}/bin`)] });
    const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0x41]);
    const response = await fetch(callback.triggerUrl, { method: "POST", body: bytes, headers: { "content-type": "application/octet-stream" } });
    const answer = (await response.json()) as TriggerAnswer;
    const detail = await waitForDelivery(app.url, answer.deliveries[0]?.id ?? "", ["succeeded"]);
    expect(detail.event?.body).toBe(Buffer.from(bytes).toString("base64"));
  });

  it("returns the first answer for a repeated Idempotency-Key and publishes nothing more", async () => {
    const callback = await createCallback(app.url, { name: "idempotent", destinations: [httpDestination(`${sink.url}/idem`)] });
    const key = `key-${Date.now()}`;
    const first = await fetch(callback.triggerUrl, { method: "POST", body: "{}", headers: { "idempotency-key": key } });
    const firstBody = await first.text();
    const second = await fetch(callback.triggerUrl, { method: "POST", body: "{}", headers: { "idempotency-key": key } });
    expect(second.status).toBe(202);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.text()).toBe(firstBody);
    const deliveryId = (JSON.parse(firstBody) as TriggerAnswer).deliveries[0]?.id ?? "";
    await waitForDelivery(app.url, deliveryId, ["succeeded"]);
    expect(sink.requests.filter((request) => request.path === "/idem")).toHaveLength(1);
  });

  it("keeps at most maxConcurrency deliveries of one destination in flight (QStash flow control)", async () => {
    const slow = await startSink();
    slow.delayMs = 150;
    try {
      const callback = await createCallback(app.url, {
        name: "flow-control",
        destinations: [{ ...httpDestination(`${slow.url}/slow`), maxConcurrency: 1 }],
      });
      expect((await call<{ destinations: Array<{ maxConcurrency: number }> }>(app.url, "GET", `/api/callbacks/${callback.id}`)).body.destinations[0]?.maxConcurrency).toBe(1);
      const answers = await Promise.all(Array.from({ length: 4 }, async () => (await call<TriggerAnswer>(callback.triggerUrl, "POST", "", { body: { n: 1 }, token: null })).body));
      for (const answer of answers) await waitForDelivery(app.url, answer.deliveries[0]?.id ?? "", ["succeeded"]);
      expect(slow.requests).toHaveLength(4);
      expect(slow.maxConcurrent).toBe(1);
    } finally {
      await slow.close();
    }
  });
});
