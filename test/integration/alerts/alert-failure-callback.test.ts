// Alerts get a QStash failure callback like deliveries do, so no alert stays `queued` once QStash
// has given up: POST /api/alerts/deliver/failed (signature and URL claim checked) marks it dead
// with QStash's last answer, including alerts queued before jobs carried their retry budget.
import { Client } from "@upstash/qstash";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { devQstash, testConfig } from "../../support/ports";
import { postSigned, signLikeQstash } from "../../support/qstash-signing";
import { startSink } from "../../support/sink";
import { uuidv7 } from "@/lib/ids";

const app = useApp();
const qstash = new Client({ baseUrl: `http://127.0.0.1:${testConfig().ports.qstash}`, token: devQstash.token, devMode: false, enableTelemetry: false });
let closedUrl: string;

interface AlertItem {
  id: string;
  status: string;
  attempts: number;
  lastError: string | null;
  deliveryId: string | null;
}

beforeAll(async () => {
  const closed = await startSink();
  closedUrl = closed.url;
  await closed.close();
  const saved = await call(app.url, "PUT", "/api/settings/alerts", { body: { retries: 1, config: { url: `${closedUrl}/alerts` } } });
  expect(saved.status).toBe(200);
});
afterAll(async () => {
  await call(app.url, "DELETE", "/api/settings/alerts");
});

function failureBody(sourceJob: unknown, retried = 1): string {
  return JSON.stringify({
    status: 503,
    header: {},
    body: Buffer.from('{"error":"receiver down"}').toString("base64"),
    retried,
    maxRetries: retried,
    sourceMessageId: "msg_alert_source",
    url: `${app.url}/api/alerts/deliver`,
    method: "POST",
    sourceHeader: {},
    sourceBody: Buffer.from(JSON.stringify(sourceJob)).toString("base64"),
    dlqId: "1-1",
  });
}

async function alertFor(deliveryId: string): Promise<AlertItem | undefined> {
  const result = await call<{ items: AlertItem[] }>(app.url, "GET", "/api/alerts?limit=200");
  return result.body.items.find((item) => item.deliveryId === deliveryId);
}

/** A delivery QStash gave up on: its failure callback marks it dead and raises delivery.dead. */
async function raiseDeadAlert(): Promise<{ deliveryId: string; alert: AlertItem }> {
  const callback = await createCallback(app.url, { name: "alert-fc", destinations: [httpDestination(`${closedUrl}/gone`)] });
  const deliveryId = uuidv7();
  const request = { method: "POST", path: "/t", query: {}, headers: {}, body: "{}", bodyEncoding: "utf8", receivedAt: new Date().toISOString() };
  const job = { v: 1, deliveryId, eventId: uuidv7(), callbackId: callback.id, destinationId: callback.destinations[0]?.id, kind: "http", request };
  const url = `${app.url}/api/deliver/failed`;
  const body = failureBody(job);
  expect((await postSigned(url, body, await signLikeQstash({ url, body }))).status).toBe(200);
  const alert = await waitFor(async () => alertFor(deliveryId), { what: "the delivery.dead alert" });
  return { deliveryId, alert };
}

describe("the alert failure callback", () => {
  it("end to end: an alert whose receiver stays down ends dead, and QStash holds the alert failure callback", async () => {
    const { deliveryId } = await raiseDeadAlert();
    const dead = await waitFor(
      async () => {
        const alert = await alertFor(deliveryId);
        return alert?.status === "dead" ? alert : undefined;
      },
      { what: "the alert to be given up", timeoutMs: 15_000 },
    );
    expect(dead.attempts).toBe(2);

    const { messages } = await qstash.dlq.listMessages({ filter: { url: `${app.url}/api/alerts/deliver` } });
    const entry = messages.find((message) => (JSON.parse(message.body ?? "{}") as { alertId?: string }).alertId === dead.id);
    expect(entry?.failureCallback).toBe(`${app.url}/api/alerts/deliver/failed`);
    expect(JSON.parse(entry?.body ?? "{}")).toMatchObject({ v: 1, alertId: dead.id, retries: 1 });
  });

  it("marks a still-queued alert dead with QStash's last answer, once; an alert job from before retries were carried too", async () => {
    // An alert queued by an older release (no `retries` in its job) stays queued after its last
    // attempt: put a settled alert back in that state.
    const { alert } = await raiseDeadAlert();
    await waitFor(async () => ((await alertFor(alert.deliveryId ?? ""))?.status === "dead" ? true : undefined), { what: "the alert to settle" });
    await app.db.updateTable("alerts").set({ status: "queued", last_error: null, completed_at: null }).where("id", "=", alert.id).execute();

    const url = `${app.url}/api/alerts/deliver/failed`;
    const body = failureBody({ v: 1, alertId: alert.id });
    const answer = await postSigned(url, body, await signLikeQstash({ url, body }));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ alertId: alert.id, status: "dead" });
    const row = await app.db.selectFrom("alerts").select(["status", "last_error"]).where("id", "=", alert.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("dead");
    expect(row.last_error).toBe("Gave up after 2 attempt(s); last answer 503: receiver down");

    const again = await postSigned(url, body, await signLikeQstash({ url, body }));
    expect(await again.json()).toEqual({ alertId: alert.id, status: "unchanged" });
  });

  it("accepts only QStash's signature for its own URL, and refuses an unreadable body without retries", async () => {
    const url = `${app.url}/api/alerts/deliver/failed`;
    const body = failureBody({ v: 1, alertId: uuidv7() });
    expect((await postSigned(url, body, null)).status).toBe(401);
    expect((await postSigned(url, body, await signLikeQstash({ url: `${app.url}/api/alerts/deliver`, body }))).status).toBe(401);
    expect((await postSigned(url, body, await signLikeQstash({ url, body, key: "sig_wrong" }))).status).toBe(401);
    const unreadable = "{}";
    const refused = await postSigned(url, unreadable, await signLikeQstash({ url, body: unreadable }));
    expect(refused.status).toBe(489);
    expect(refused.headers.get("upstash-nonretryable-error")).toBe("true");
  });
});
