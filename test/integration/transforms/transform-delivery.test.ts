// A destination's transform at delivery time, end to end through the trigger, QStash and the
// real peers: it shapes what an HTTP receiver, an MQTT subscriber and an AMQP consumer get; null
// skips the delivery; a hostile transform (endless loop, 1 GB, reaching for the host) fails the
// delivery as content with its line, never trips the circuit breaker, and the next event is fine.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCallback, httpDestination, waitForDelivery, type DeliveryDetail } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { fireTrigger } from "../../support/trigger";
import { deliveryFor, getDestination } from "../../support/lifecycle";
import { subscribe } from "../../support/mqtt-subscriber";
import { useRabbit } from "../../support/rabbit-fixture";
import { call } from "../../support/api";

const app = useApp();
const rabbit = useRabbit();
const mosquitto = "mqtt://127.0.0.1:1883";
let sink: Sink;

beforeAll(async () => {
  sink = await startSink();
});
afterAll(async () => {
  await sink.close();
});

// Through the API, as an operator sets it: checked at save (checkTransformSource), stored, and read by the delivery.
async function setTransform(destinationId: string, source: string): Promise<void> {
  const result = await call(app.url, "PATCH", `/api/destinations/${destinationId}`, { body: { transform: source } });
  expect(result.status, result.text).toBe(200);
}

async function fireOrder(triggerUrl: string, order: Record<string, unknown>) {
  const answer = await fireTrigger(triggerUrl, { raw: JSON.stringify(order), headers: { "content-type": "application/json", "x-shop": "north" } });
  expect(answer.status, answer.text).toBe(202);
  return answer;
}

const settled = ["succeeded", "failed", "dead", "skipped"];

function expectTransformFailure(detail: DeliveryDetail, reason: RegExp): void {
  expect(detail.status, detail.lastError ?? "").toBe("failed");
  expect(detail.lastError).toMatch(/^Content error: transform /);
  expect(detail.lastError).toMatch(reason);
  expect(detail.attempts).toBe(1);
}

describe("a transform shapes each kind", () => {
  it("HTTP: the receiver gets the transformed method, headers, query and body, still signed", async () => {
    const callback = await createCallback(app.url, {
      name: "transform-http",
      variables: { region: "eu" },
      destinations: [httpDestination(`${sink.url}/orders`, { headers: { "X-Configured": "yes" }, sign: true })],
    });
    const id = callback.destinations[0]?.id ?? "";
    await setTransform(
      id,
      `function transform(event) {
        return {
          method: "PUT",
          headers: { "X-Order-Type": event.body.type, "X-Shop": event.headers["x-shop"] },
          query: { region: event.vars.region },
          body: { id: event.body.id, total: event.body.items.reduce((sum, item) => sum + item.qty, 0) },
        };
      }`,
    );
    const answer = await fireOrder(callback.triggerUrl, { type: "order.created", id: 7, items: [{ qty: 2 }, { qty: 3 }] });
    const detail = await waitForDelivery(app.url, deliveryFor(answer, id), settled);
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    const received = sink.requests.find((request) => request.path === "/orders?region=eu");
    expect(received).toMatchObject({ method: "PUT", body: '{"id":7,"total":5}' });
    expect(received?.headers).toMatchObject({ "x-order-type": "order.created", "x-shop": "north", "content-type": "application/json" });
    expect(received?.headers["x-configured"]).toBeUndefined();
    expect(received?.headers["webhook-signature"]).toMatch(/^v1,/);
    expect(detail.attemptsLog[0]?.request).toMatchObject({ method: "PUT", transformed: true });
  });

  it("MQTT: the subscriber gets the payload on the topic the transform chose", async () => {
    const base = `switchyard-test/${randomUUID()}`;
    const callback = await createCallback(app.url, {
      name: "transform-mqtt",
      destinations: [{ kind: "mqtt", name: "orders", config: { url: mosquitto, topic: `${base}/configured`, qos: 1 } }],
    });
    const id = callback.destinations[0]?.id ?? "";
    await setTransform(id, `function transform(event) { return { topic: "${base}/orders/" + event.body.id, payload: { sku: event.body.items[0].sku } }; }`);
    const subscriber = await subscribe(mosquitto, [`${base}/#`]);
    try {
      const answer = await fireOrder(callback.triggerUrl, { id: 9, items: [{ sku: "A1" }] });
      expect((await waitForDelivery(app.url, deliveryFor(answer, id), settled)).status).toBe("succeeded");
      const message = await subscriber.next(`${base}/orders/9`);
      expect(message.payload).toBe('{"sku":"A1"}');
      expect(subscriber.messages.some((received) => received.topic === `${base}/configured`)).toBe(false);
    } finally {
      await subscriber.close();
    }
  });

  it("MQTT: a returned topic with a wildcard fails as content", async () => {
    const callback = await createCallback(app.url, {
      name: "transform-mqtt-wildcard",
      destinations: [{ kind: "mqtt", name: "orders", config: { url: mosquitto, topic: `switchyard-test/${randomUUID()}` } }],
    });
    const id = callback.destinations[0]?.id ?? "";
    await setTransform(id, `function transform(event) { return { topic: "orders/#", payload: "x" }; }`);
    const detail = await waitForDelivery(app.url, deliveryFor(await fireOrder(callback.triggerUrl, { id: 1 }), id), settled);
    expect(detail.status).toBe("failed");
    expect(detail.lastError).toMatch(/^Content error: .*the transform's topic is invalid: .*wildcard/);
  });

  it("AMQP: the consumer gets the payload with the routing key and headers the transform chose", async () => {
    const exchange = await rabbit.testExchange("topic");
    const queue = await rabbit.consumedQueue(exchange, "orders.eu.*");
    const callback = await createCallback(app.url, {
      name: "transform-amqp",
      variables: { region: "eu" },
      destinations: [{ kind: "amqp", name: "orders", config: { url: "amqp://guest:guest@127.0.0.1:5672", exchange, exchangeType: "topic", routingKey: "configured.key" } }],
    });
    const id = callback.destinations[0]?.id ?? "";
    await setTransform(
      id,
      `function transform(event) { return { routingKey: "orders." + event.vars.region + "." + event.body.type, payload: "order " + event.body.id, headers: { "x-id": event.body.id } }; }`,
    );
    const answer = await fireOrder(callback.triggerUrl, { id: 11, type: "created" });
    expect((await waitForDelivery(app.url, deliveryFor(answer, id), settled)).status).toBe("succeeded");
    const message = await rabbit.nextOn(queue);
    expect(message.fields.routingKey).toBe("orders.eu.created");
    expect(message.content.toString("utf8")).toBe("order 11");
    expect(message.properties.headers).toMatchObject({ "x-id": 11 });
    expect(message.properties.contentType).toBe("text/plain; charset=utf-8");
  });

  it("null skips the delivery with the reason, and nothing is sent", async () => {
    const callback = await createCallback(app.url, { name: "transform-null", destinations: [httpDestination(`${sink.url}/dropped`)] });
    const id = callback.destinations[0]?.id ?? "";
    await setTransform(id, "function transform(event) { return event.body.test ? null : { body: event.body }; }");
    const detail = await waitForDelivery(app.url, deliveryFor(await fireOrder(callback.triggerUrl, { test: true }), id), settled);
    expect(detail.status).toBe("skipped");
    expect(detail.attemptsLog[0]?.error).toBe("dropped by transform");
    expect(sink.requests.some((request) => request.path === "/dropped")).toBe(false);
  });
});

describe("hostile transforms", () => {
  it("an endless loop, 1 GB, require and process each fail as content with their line, never trip the breaker, and the next event is delivered", async () => {
    const callback = await createCallback(app.url, {
      name: "transform-hostile",
      retries: 2,
      destinations: [{ ...httpDestination(`${sink.url}/hostile`), failureThreshold: 1 }],
    });
    const id = callback.destinations[0]?.id ?? "";
    const cases: Array<[string, RegExp]> = [
      ["function transform(event) {\n  while (true) {}\n}", /^Content error: transform timed out after 50 ms at line [12]$/],
      [
        "function transform(event) {\n  const big = new ArrayBuffer(1024 * 1024 * 1024);\n  return { body: big.byteLength };\n}",
        /^Content error: transform ran out of memory \(limit 16 MB\) at line 2$/,
      ],
      ["function transform(event) {\n  const fs = require('fs');\n  return { body: 1 };\n}", /^Content error: transform threw at line 2: ReferenceError: 'require' is not defined$/],
      ["function transform(event) {\n  return { body: process.env };\n}", /^Content error: transform threw at line 2: ReferenceError: 'process' is not defined$/],
    ];
    for (const [source, reason] of cases) {
      await setTransform(id, source);
      expectTransformFailure(await waitForDelivery(app.url, deliveryFor(await fireOrder(callback.triggerUrl, { n: 1 }), id), settled), reason);
    }
    expect(await getDestination(app.url, id)).toMatchObject({ enabled: true, consecutiveFailures: 0 });
    await setTransform(id, "function transform(event) { return { body: { healthy: event.body.n } }; }");
    const detail = await waitForDelivery(app.url, deliveryFor(await fireOrder(callback.triggerUrl, { n: 2 }), id), settled);
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(sink.requests.filter((request) => request.path === "/hostile").map((request) => request.body)).toEqual(['{"healthy":2}']);
  });
});

describe("a transform at save", () => {
  it("a syntax error is a 422 naming transform and the line, and the stored transform is unchanged", async () => {
    const callback = await createCallback(app.url, { name: "transform-save", destinations: [httpDestination(`${sink.url}/save`)] });
    const id = callback.destinations[0]?.id ?? "";
    await setTransform(id, "function transform(event) { return { body: 1 }; }");
    const refused = await call<{ error: { code: string; field: string; message: string } }>(app.url, "PATCH", `/api/destinations/${id}`, {
      body: { transform: "function transform(event) {\n  return { body: event.body ;\n}" },
    });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "validation_failed", field: "transform" });
    expect(refused.body.error.message).toMatch(/^transform: syntax error at line 2, column \d+: /);
    const row = await app.db.selectFrom("destinations").select("transform").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.transform).toBe("function transform(event) { return { body: 1 }; }");
  });
});
