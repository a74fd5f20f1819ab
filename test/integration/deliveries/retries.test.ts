import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@upstash/qstash";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { devQstash, testConfig } from "../../support/ports";
import { postSigned, signLikeQstash } from "../../support/qstash-signing";
import { uuidv7 } from "@/lib/ids";

const app = useApp();
let sink: Sink;
const qstash = new Client({ baseUrl: `http://127.0.0.1:${testConfig().ports.qstash}`, token: devQstash.token, devMode: false });

beforeAll(async () => {
  sink = await startSink();
});
afterAll(async () => {
  await sink.close();
});

async function trigger(triggerUrl: string): Promise<{ deliveryId: string; messageId: string }> {
  const answer = await call<{ deliveries: Array<{ id: string; messageId: string }> }>(triggerUrl, "POST", "", { body: { n: 1 }, token: null });
  expect(answer.status).toBe(202);
  const delivery = answer.body.deliveries[0];
  return { deliveryId: delivery?.id ?? "", messageId: delivery?.messageId ?? "" };
}

/** QStash forgets a message once it is delivered or given up: then no further attempt can come. */
async function waitForQueueToFinish(messageId: string): Promise<void> {
  await waitFor(
    async () => {
      try {
        await qstash.messages.get(messageId);
        return false;
      } catch {
        return true;
      }
    },
    { what: `QStash to finish ${messageId}` },
  );
}

describe("retries and failure outcomes", () => {
  it("a sink that fails twice then succeeds → 3 attempts, succeeded", async () => {
    sink.script([503, 500]);
    const callback = await createCallback(app.url, { name: "flaky", destinations: [httpDestination(`${sink.url}/flaky`)] });
    const { deliveryId } = await trigger(callback.triggerUrl);
    const detail = await waitForDelivery(app.url, deliveryId, ["succeeded", "dead", "failed"]);
    expect(detail.status).toBe("succeeded");
    expect(detail.attempts).toBe(3);
    expect(detail.attemptsLog.map((attempt) => attempt.outcome)).toEqual(["retryable", "retryable", "succeeded"]);
    expect(detail.attemptsLog[0]?.response).toMatchObject({ status: 503 });
    const ids = new Set(sink.requests.filter((request) => request.path === "/flaky").map((request) => request.headers["webhook-id"]));
    expect(ids).toEqual(new Set([deliveryId]));
  });

  it("a sink answering 400 → one attempt, failed, no retry", async () => {
    sink.script([400]);
    const callback = await createCallback(app.url, { name: "rejecting", destinations: [httpDestination(`${sink.url}/reject`)] });
    const { deliveryId, messageId } = await trigger(callback.triggerUrl);
    const detail = await waitForDelivery(app.url, deliveryId, ["failed", "succeeded", "dead"]);
    expect(detail.status).toBe("failed");
    expect(detail.lastStatusCode).toBe(400);
    await waitForQueueToFinish(messageId);
    expect(sink.requests.filter((request) => request.path === "/reject")).toHaveLength(1);
    expect((await getDeliveryAgain(deliveryId)).attempts).toBe(1);
  });

  it("a sink down through all retries → dead, with the last error kept", async () => {
    const down = await startSink();
    const downUrl = down.url;
    await down.close();
    const callback = await createCallback(app.url, { name: "down", retries: 2, destinations: [httpDestination(`${downUrl}/gone`)] });
    const { deliveryId, messageId } = await trigger(callback.triggerUrl);
    const detail = await waitForDelivery(app.url, deliveryId, ["dead", "failed", "succeeded"]);
    expect(detail.status).toBe("dead");
    expect(detail.attempts).toBe(3);
    expect(detail.lastError).toMatch(/ECONNREFUSED|Network error/);
    await waitForQueueToFinish(messageId);
    expect((await getDeliveryAgain(deliveryId)).status).toBe("dead");
  });

  it("honours the sink's Retry-After on 429", async () => {
    sink.script([429], { "retry-after": "1" });
    const callback = await createCallback(app.url, { name: "throttled", destinations: [httpDestination(`${sink.url}/throttle`)] });
    const { deliveryId } = await trigger(callback.triggerUrl);
    const detail = await waitForDelivery(app.url, deliveryId, ["succeeded", "dead"]);
    expect(detail.status).toBe("succeeded");
    const hits = sink.requests.filter((request) => request.path === "/throttle");
    expect(hits).toHaveLength(2);
  });
});

describe("the retry budget travels in the job", () => {
  // QStash never sends the budget with a delivery (no Upstash-Retries): the attempt QStash numbers
  // Upstash-Retried = job.retries is the last one and ends the delivery dead by itself, without
  // waiting for the failure callback; an Upstash-Retries header, were one sent, is not read.
  async function attempt(deliveryId: string, retried: number, extra: Record<string, string> = {}) {
    const down = await startSink();
    await down.close();
    const callback = await createCallback(app.url, { name: `budget-${retried}`, retries: 2, destinations: [httpDestination(`${down.url}/gone`)] });
    const request = { method: "POST", path: "/t", query: {}, headers: {}, body: "{}", bodyEncoding: "utf8", receivedAt: new Date().toISOString() };
    const job = { v: 1, deliveryId, eventId: uuidv7(), callbackId: callback.id, destinationId: callback.destinations[0]?.id, kind: "http", request, retries: 2 };
    const url = `${app.url}/api/deliver`;
    const body = JSON.stringify(job);
    const answer = await postSigned(url, body, await signLikeQstash({ url, body }), { "upstash-retried": String(retried), "upstash-message-id": `msg_${retried}`, ...extra });
    expect(answer.status).toBe(503);
    return getDeliveryAgain(deliveryId);
  }

  it("the attempt numbered the job's retries ends dead on its own", async () => {
    expect(await attempt(uuidv7(), 2)).toMatchObject({ status: "dead", attempts: 1 });
  });

  it("an earlier attempt leaves it queued, whatever an Upstash-Retries header says", async () => {
    expect(await attempt(uuidv7(), 1, { "upstash-retries": "1" })).toMatchObject({ status: "queued", attempts: 1 });
  });
});

async function getDeliveryAgain(id: string) {
  return (await call<{ status: string; attempts: number }>(app.url, "GET", `/api/deliveries/${id}`)).body;
}
