import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { postSigned, signLikeQstash } from "../../support/qstash-signing";
import { startSink, type Sink, type SinkRequest } from "../../support/sink";
import { uuidv7 } from "@/lib/ids";
import { deliveryFor, fire, getDestination } from "../../support/lifecycle";

const app = useApp();
let alertSink: Sink;
let sink: Sink;
let closedUrl: string;
const alertToken = "alert-bearer-secret-4711";

interface AlertBody {
  id: string;
  type: string;
  at: string;
  callbackId: string;
  destinationId: string;
  destinationName: string | null;
  deliveryId?: string;
  eventId?: string;
  reason: string;
  attempts?: number;
  consecutiveFailures?: number;
}

interface AlertItem {
  id: string;
  type: string;
  status: string;
  attempts: number;
  deliveryId: string | null;
  destinationId: string | null;
  lastError: string | null;
  createdAt: string;
}

const alertConfig = (url: string) => ({ url, auth: { type: "bearer", token: alertToken } });

beforeAll(async () => {
  alertSink = await startSink();
  sink = await startSink();
  const closed = await startSink();
  closedUrl = closed.url;
  await closed.close();
  const saved = await call(app.url, "PUT", "/api/settings/alerts", { body: { retries: 1, config: alertConfig(`${alertSink.url}/alerts`) } });
  expect(saved.status).toBe(200);
});
afterAll(async () => {
  await call(app.url, "DELETE", "/api/settings/alerts");
  await alertSink.close();
  await sink.close();
});

const parse = (request: SinkRequest) => JSON.parse(request.body) as AlertBody;

async function alertsReceived(match: (alert: AlertBody) => boolean): Promise<Array<{ request: SinkRequest; alert: AlertBody }>> {
  return alertSink.requests.map((request) => ({ request, alert: parse(request) })).filter((item) => match(item.alert));
}

async function alertRows(match: (item: AlertItem) => boolean): Promise<AlertItem[]> {
  const result = await call<{ items: AlertItem[] }>(app.url, "GET", "/api/alerts?limit=200");
  expect(result.status).toBe(200);
  return result.body.items.filter(match);
}

async function failureCallback(job: Record<string, unknown>): Promise<Response> {
  const body = JSON.stringify({
    status: 500,
    body: Buffer.from('{"error":"boom"}').toString("base64"),
    retried: 2,
    maxRetries: 2,
    sourceMessageId: "msg_forged",
    sourceBody: Buffer.from(JSON.stringify(job)).toString("base64"),
  });
  const url = `${app.url}/api/deliver/failed`;
  return postSigned(url, body, await signLikeQstash({ url, body }));
}

function jobFor(callbackId: string, destinationId: string, deliveryId: string, eventId = uuidv7()) {
  const request = { method: "POST", path: "/t", query: {}, headers: {}, body: "{}", bodyEncoding: "utf8", receivedAt: new Date().toISOString() };
  return { v: 1, deliveryId, eventId, callbackId, destinationId, kind: "http", request };
}

describe("alert webhook settings", () => {
  it("masks credentials on read, keeps them when the mask is sent back, and refuses bad input and missing auth", async () => {
    const read = await call<{ configured: boolean; retries: number; target: string; config: { auth: { token: string } } }>(app.url, "GET", "/api/settings/alerts");
    expect(read.status).toBe(200);
    // The URL's path is a credential too (Slack, Discord): shown masked.
    expect(read.body).toMatchObject({ configured: true, retries: 1, target: `POST ${alertSink.url}/***` });
    expect(read.body.config.auth.token).toBe("***");
    expect(read.text).not.toContain(alertToken);
    const row = await app.db.selectFrom("settings").selectAll().where("name", "=", "alerts").executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(alertToken);
    // Sending the masked config back keeps the stored token (the alerts below prove it arrives).
    expect((await call(app.url, "PUT", "/api/settings/alerts", { body: { retries: 1, config: read.body.config } })).status).toBe(200);

    const bad = await call<{ error: { field: string } }>(app.url, "PUT", "/api/settings/alerts", { body: { config: { url: "ftp://x" } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe("config.url");
    expect((await call(app.url, "GET", "/api/settings/alerts", { token: null })).status).toBe(401);
    expect((await call(app.url, "PUT", "/api/settings/alerts", { token: "wrong", body: { config: alertConfig(sink.url) } })).status).toBe(401);
  });

  it("the alert route accepts only QStash's signature for its own URL", async () => {
    const body = JSON.stringify({ v: 1, alertId: uuidv7() });
    const url = `${app.url}/api/alerts/deliver`;
    expect((await postSigned(url, body, null)).status).toBe(401);
    expect((await postSigned(url, body, await signLikeQstash({ url: `${app.url}/api/deliver`, body }))).status).toBe(401);
    const genuine = await postSigned(url, body, await signLikeQstash({ url, body }));
    expect(genuine.status).toBe(200);
    expect(await genuine.json()).toMatchObject({ status: "skipped" });
  });
});

describe("alerts", () => {
  it("a dead delivery raises exactly one delivery.dead alert with the documented JSON", async () => {
    const callback = await createCallback(app.url, { name: "alert-dead", retries: 1, destinations: [{ ...httpDestination(`${closedUrl}/gone`), name: "gone" }] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const answer = await fire(callback.triggerUrl);
    const deliveryId = deliveryFor(answer, destinationId);
    expect((await waitForDelivery(app.url, deliveryId, ["dead", "failed", "succeeded"])).status).toBe("dead");

    const [received] = await waitFor(async () => {
      const found = await alertsReceived((alert) => alert.deliveryId === deliveryId);
      return found.length > 0 ? found : undefined;
    });
    expect(received?.alert).toEqual({
      id: expect.any(String),
      type: "delivery.dead",
      at: expect.any(String),
      callbackId: callback.id,
      destinationId,
      destinationName: "gone",
      deliveryId,
      eventId: answer.eventId,
      reason: expect.stringMatching(/ECONNREFUSED|Network error/),
      attempts: 2,
    });
    expect(Number.isNaN(Date.parse(received?.alert.at ?? ""))).toBe(false);
    expect(received?.request.headers["webhook-id"]).toBe(received?.alert.id);
    expect(received?.request.headers.authorization).toBe(`Bearer ${alertToken}`);

    // QStash's own failure callback for the same message must not raise a second alert.
    const duplicate = await failureCallback(jobFor(callback.id, destinationId, deliveryId, answer.eventId));
    expect(await duplicate.json()).toMatchObject({ status: "unchanged" });
    const rows = await waitFor(async () => {
      const found = await alertRows((item) => item.deliveryId === deliveryId);
      return found.every((item) => item.status === "succeeded") ? found : undefined;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: received?.alert.id, type: "delivery.dead", attempts: 1 });
    expect(await alertsReceived((alert) => alert.deliveryId === deliveryId)).toHaveLength(1);
  });

  it("a delivery QStash gave up on (failure callback) is marked dead and raises the alert", async () => {
    const callback = await createCallback(app.url, { name: "alert-callback", destinations: [httpDestination(`${sink.url}/never`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const deliveryId = uuidv7();
    const response = await failureCallback(jobFor(callback.id, destinationId, deliveryId));
    expect(await response.json()).toMatchObject({ status: "dead" });
    const [received] = await waitFor(async () => {
      const found = await alertsReceived((alert) => alert.deliveryId === deliveryId);
      return found.length > 0 ? found : undefined;
    });
    expect(received?.alert).toMatchObject({ type: "delivery.dead", destinationId, reason: expect.stringContaining("Gave up after 3 attempt(s)") });
    expect((await getDestination(app.url, destinationId)).consecutiveFailures).toBe(1);
  });

  it("a circuit-breaker trip raises one destination.disabled alert", async () => {
    sink.defaultStatus = 400;
    try {
      const callback = await createCallback(app.url, {
        name: "alert-breaker",
        destinations: [{ ...httpDestination(`${sink.url}/breaker`), name: "flaky partner", failureThreshold: 2 }],
      });
      const destinationId = callback.destinations[0]?.id ?? "";
      const first = deliveryFor(await fire(callback.triggerUrl), destinationId);
      await waitForDelivery(app.url, first, ["failed"]);
      const second = await fire(callback.triggerUrl);
      const secondId = deliveryFor(second, destinationId);
      await waitForDelivery(app.url, secondId, ["failed"]);

      const [received] = await waitFor(async () => {
        const found = await alertsReceived((alert) => alert.destinationId === destinationId);
        return found.length > 0 ? found : undefined;
      });
      expect(received?.alert).toEqual({
        id: expect.any(String),
        type: "destination.disabled",
        at: expect.any(String),
        callbackId: callback.id,
        destinationId,
        destinationName: "flaky partner",
        deliveryId: secondId,
        eventId: second.eventId,
        reason: "circuit breaker: 2 consecutive failures",
        consecutiveFailures: 2,
      });
      const rows = await waitFor(async () => {
        const found = await alertRows((item) => item.destinationId === destinationId);
        return found.every((item) => item.status === "succeeded") ? found : undefined;
      });
      expect(rows.map((item) => item.type)).toEqual(["destination.disabled"]);
    } finally {
      sink.defaultStatus = 200;
    }
  });

  it("an unreachable alert receiver changes no delivery outcome; its failure is recorded and raises no alert", async () => {
    const since = new Date().toISOString();
    expect((await call(app.url, "PUT", "/api/settings/alerts", { body: { retries: 1, config: alertConfig(`${closedUrl}/alerts`) } })).status).toBe(200);
    const callback = await createCallback(app.url, {
      name: "alert-receiver-down",
      retries: 0,
      destinations: [
        { ...httpDestination(`${closedUrl}/down`), name: "down" },
        { ...httpDestination(`${sink.url}/fine`), name: "fine" },
      ],
    });
    const [down, fine] = callback.destinations.map((destination) => destination.id) as [string, string];
    const answer = await fire(callback.triggerUrl);
    const dead = await waitForDelivery(app.url, deliveryFor(answer, down), ["dead", "failed", "succeeded"]);
    expect(dead).toMatchObject({ status: "dead", attempts: 1 });
    expect((await waitForDelivery(app.url, deliveryFor(answer, fine), ["succeeded", "failed", "dead"])).status).toBe("succeeded");

    const rows = await waitFor(
      async () => {
        const found = await alertRows((item) => item.createdAt >= since);
        return found.length > 0 && found.every((item) => item.status === "dead") ? found : undefined;
      },
      { what: "the alert to the unreachable receiver to be given up" },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: "delivery.dead", deliveryId: dead.id, attempts: 2, lastError: expect.stringMatching(/ECONNREFUSED|Network error/) });
    expect(await getDestination(app.url, down)).toMatchObject({ enabled: true, consecutiveFailures: 1 });
  });
});
