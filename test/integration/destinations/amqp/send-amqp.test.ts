// sendAmqp against the machine's RabbitMQ (127.0.0.1:5672, guest/guest), with a real consumer
// on per-test exchanges and queues checking every property of what arrived.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { amqpConnectionPool, sendAmqp } from "@/lib/destinations/amqp/send-amqp";
import { freePort, startTcpProxy } from "@/scripts/lib/net-tools";
import { waitFor } from "../../../support/api";
import { rabbitUrl, useRabbit } from "../../../support/rabbit-fixture";
import { expectDeferredClose } from "../../../support/deferred-close";
import { amqpContext, openTcpHandles } from "../../../support/broker-context";
import { startSilentServer } from "../../../support/silent-server";

const { received, consumedQueue, testExchange, nextOn } = useRabbit();

describe("sendAmqp: routing and properties", () => {
  it("direct exchange: the consumer sees the payload and every property, messageId = delivery id", async () => {
    const exchange = await testExchange("direct");
    const queue = await consumedQueue(exchange, "orders.created");
    const context = amqpContext(
      {
        url: rabbitUrl,
        exchange,
        exchangeType: "direct",
        routingKey: "orders.{body.kind}",
        priority: 5,
        expirationMs: 60_000,
        headers: { "x-source": "{header.x-source}", "x-attempt": "{attempt}" },
      },
      { body: '{"kind":"created","order":42}', headers: { "x-source": "github" } },
    );
    const outcome = await sendAmqp(context);
    expect(outcome.result, outcome.error).toBe("succeeded");
    expect(outcome.target).toBe(`amqp://127.0.0.1:5672 exchange ${exchange} key orders.created`);
    expect(outcome.response).toMatchObject({ ack: "publisher confirm", connection: "new" });
    const message = await nextOn(queue);
    expect(JSON.parse(message.content.toString())).toMatchObject({ deliveryId: context.job.deliveryId, request: { body: { order: 42 } } });
    expect(message.fields).toMatchObject({ exchange, routingKey: "orders.created" });
    expect(message.properties).toMatchObject({
      messageId: context.job.deliveryId,
      deliveryMode: 2,
      priority: 5,
      expiration: "60000",
      contentType: "application/json",
      appId: "switchyard",
      headers: { "x-source": "github", "x-attempt": "1" },
    });
    expect(Math.abs(message.properties.timestamp - Date.now() / 1000)).toBeLessThan(10);
    expect(JSON.stringify(outcome)).not.toContain("guest:guest");
  });

  it("topic exchange, declared by the sender: a wildcard binding receives the rendered key", async () => {
    const exchange = await testExchange("topic");
    const queue = await consumedQueue(exchange, "switchyard.callback.*.triggered");
    const context = amqpContext({ url: rabbitUrl, exchange, exchangeType: "topic", declareExchange: true, persistent: false, contentType: "text/plain", payload: "order {body.order}" });
    const outcome = await sendAmqp(context);
    expect(outcome.result, outcome.error).toBe("succeeded");
    const message = await nextOn(queue);
    expect(message.content.toString()).toBe("order 42");
    expect(message.fields.routingKey).toBe(`switchyard.callback.${context.job.callbackId}.triggered`);
    expect(message.properties).toMatchObject({ deliveryMode: 1, contentType: "text/plain", messageId: context.job.deliveryId });
  });

  it("fanout exchange: every bound queue gets the message", async () => {
    const exchange = await testExchange("fanout");
    const queues = [await consumedQueue(exchange), await consumedQueue(exchange)];
    const context = amqpContext({ url: rabbitUrl, exchange, exchangeType: "fanout", routingKey: "ignored" });
    const outcome = await sendAmqp(context);
    expect(outcome.result, outcome.error).toBe("succeeded");
    for (const queue of queues) expect((await nextOn(queue)).properties.messageId).toBe(context.job.deliveryId);
  });

  it("headers exchange: routes on the rendered headers", async () => {
    const exchange = await testExchange("headers");
    const queue = await consumedQueue(exchange, "", { "x-match": "all", source: "github" });
    const miss = await sendAmqp(amqpContext({ url: rabbitUrl, exchange, exchangeType: "headers", headers: { source: "{header.x-source}" } }, { headers: { "x-source": "stripe" } }));
    expect(miss.result).toBe("permanent");
    const hit = await sendAmqp(amqpContext({ url: rabbitUrl, exchange, exchangeType: "headers", headers: { source: "{header.x-source}" } }, { headers: { "x-source": "github" } }));
    expect(hit.result, hit.error).toBe("succeeded");
    expect((await nextOn(queue)).properties.headers).toMatchObject({ source: "github" });
  });

  it("the default exchange routes by queue name, without declaring anything", async () => {
    const queue = await consumedQueue();
    const context = amqpContext({ url: rabbitUrl, exchange: "", routingKey: queue });
    const outcome = await sendAmqp(context);
    expect(outcome.result, outcome.error).toBe("succeeded");
    expect(outcome.target).toBe(`amqp://127.0.0.1:5672 exchange (default) key ${queue}`);
    expect((await nextOn(queue)).properties.messageId).toBe(context.job.deliveryId);
  });
});

describe("sendAmqp: failures", () => {
  it("a mandatory message no queue is bound for is a permanent 'unroutable' failure", async () => {
    const exchange = await testExchange("topic");
    const outcome = await sendAmqp(amqpContext({ url: rabbitUrl, exchange, routingKey: "nobody.listens" }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toBe(`Unroutable: no queue bound for routing key "nobody.listens" on exchange "${exchange}" (basic.return 312 NO_ROUTE)`);
  });

  it("a missing exchange with declareExchange false is permanent (404 NOT_FOUND)", async () => {
    const outcome = await sendAmqp(amqpContext({ url: rabbitUrl, exchange: `switchyard-test-missing-${randomUUID()}` }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(/^Broker refused the publish: 404 NOT_FOUND \(NOT_FOUND - no exchange/);
  });

  it("declaring an exchange that exists with another type is permanent (406 PRECONDITION_FAILED)", async () => {
    const exchange = await testExchange("topic");
    const outcome = await sendAmqp(amqpContext({ url: rabbitUrl, exchange, exchangeType: "fanout", declareExchange: true }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(/^Broker refused the publish: 406 PRECONDITION_FAILED/);
  });

  it("a wrong password is permanent (403 ACCESS_REFUSED) and stays out of the outcome", async () => {
    const outcome = await sendAmqp(amqpContext({ url: "amqp://guest:not-the-password@127.0.0.1:5672", exchange: "amq.topic" }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(/^Broker refused the connection: 403 ACCESS_REFUSED/);
    expect(JSON.stringify(outcome)).not.toContain("not-the-password");
  });

  it("an unknown virtual host is permanent", async () => {
    const outcome = await sendAmqp(amqpContext({ url: `amqp://guest:guest@127.0.0.1:5672/no-such-vhost-${Date.now()}`, exchange: "amq.topic" }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(/virtual host/);
  });

  it("without ALLOW_PRIVATE_DESTINATIONS a loopback broker is refused, permanently, before connecting", async () => {
    const proxy = await startTcpProxy(5672);
    try {
      const context = amqpContext({ url: `amqp://guest:guest@localhost:${proxy.port}`, exchange: "amq.topic" });
      const outcome = await sendAmqp({ ...context, allowPrivateDestinations: false });
      expect(outcome.result).toBe("permanent");
      expect(outcome.error).toMatch(/^destination address (127\.0\.0\.1|::1) \(resolved from localhost\) is private\/loopback; blocked/);
      expect(proxy.connections).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it("a broker that is down is a retryable 'broker unreachable'", async () => {
    const port = await freePort();
    const outcome = await sendAmqp(amqpContext({ url: `amqp://127.0.0.1:${port}`, exchange: "amq.topic" }));
    expect(outcome.result).toBe("retryable");
    expect(outcome.error).toMatch(/^Broker unreachable: connection refused/);
    expect(outcome.response).toMatchObject({ failedAt: "connect" });
  });

  it("a broker that never answers times out within timeoutMs, retryable, and leaves no socket", async () => {
    const silent = await startSilentServer();
    const before = openTcpHandles();
    try {
      const started = performance.now();
      const outcome = await sendAmqp(amqpContext({ url: `amqp://127.0.0.1:${silent.port}`, exchange: "amq.topic", timeoutMs: 300 }));
      expect(outcome.result).toBe("retryable");
      expect(outcome.error).toMatch(/^(Timed out: connect timed out|Broker unreachable: connection timed out)/);
      expect(performance.now() - started).toBeLessThan(1_500);
      await waitFor(async () => openTcpHandles() <= before, { what: "the timed-out socket to close", timeoutMs: 2_000 });
    } finally {
      await silent.close();
    }
  });
});

describe("sendAmqp: connections", () => {
  it("short-lived: no socket stays open after a delivery", async () => {
    const queue = await consumedQueue();
    const before = openTcpHandles();
    for (let index = 0; index < 3; index += 1) {
      const outcome = await sendAmqp(amqpContext({ url: rabbitUrl, exchange: "", routingKey: queue }));
      expect(outcome.result, outcome.error).toBe("succeeded");
    }
    await waitFor(async () => openTcpHandles() <= before, { what: "TCP handles back to the baseline", timeoutMs: 2_000 });
    expect(amqpConnectionPool.size()).toBe(0);
  });

  it("short-lived with deferClose: answers once confirmed, hands over the close, and the close leaves no socket", async () => {
    const queue = await consumedQueue();
    await expectDeferredClose(sendAmqp, amqpContext({ url: rabbitUrl, exchange: "", routingKey: queue }));
  });

  it("reuseConnection: deliveries share one connection; one cut by the network is replaced within the attempt", async () => {
    const proxy = await startTcpProxy(5672);
    try {
      const queue = await consumedQueue();
      const send = () => sendAmqp(amqpContext({ url: `amqp://guest:guest@127.0.0.1:${proxy.port}`, exchange: "", routingKey: queue, reuseConnection: true }));
      const [first, second] = [await send(), await send()];
      expect([first.result, second.result]).toEqual(["succeeded", "succeeded"]);
      expect([first.response?.connection, second.response?.connection]).toEqual(["new", "reused"]);
      expect(amqpConnectionPool.size()).toBe(1);
      expect(proxy.connections).toBe(1);
      // Cut it and publish in the same tick, before the client can notice.
      proxy.cut();
      const third = await send();
      expect(third.result, third.error).toBe("succeeded");
      expect(third.response?.connection).toBe("replaced");
      expect(proxy.connections).toBe(2);
      expect(amqpConnectionPool.size()).toBe(1);
      const ids = [first, second, third].map((outcome) => (outcome.request.properties as { messageId: string }).messageId);
      await waitFor(async () => (received.get(queue)?.length ?? 0) >= 3, { what: "three messages", timeoutMs: 3_000 });
      expect(received.get(queue)?.map((message): unknown => message.properties.messageId)).toEqual(ids);
    } finally {
      await amqpConnectionPool.closeAll();
      await proxy.close();
    }
  });

  it("reuseConnection: concurrent deliveries share one connection and channel, each with its own verdict", async () => {
    const proxy = await startTcpProxy(5672);
    try {
      const queue = await consumedQueue();
      const url = `amqp://guest:guest@127.0.0.1:${proxy.port}`;
      const send = (routingKey: string) => sendAmqp(amqpContext({ url, exchange: "", routingKey, reuseConnection: true }));
      const outcomes = await Promise.all([send(queue), send(queue), send(`no-such-queue-${randomUUID()}`), send(queue), send(queue)]);
      expect(outcomes.map((outcome) => outcome.result)).toEqual(["succeeded", "succeeded", "permanent", "succeeded", "succeeded"]);
      expect(outcomes[2]?.error).toMatch(/^Unroutable: no queue bound for routing key "no-such-queue-/);
      expect(proxy.connections).toBe(1);
      expect(amqpConnectionPool.size()).toBe(1);
      await waitFor(async () => (received.get(queue)?.length ?? 0) >= 4, { what: "four messages", timeoutMs: 3_000 });
      const ids = outcomes.filter((outcome) => outcome.result === "succeeded").map((outcome) => (outcome.request.properties as { messageId: string }).messageId);
      expect(new Set(received.get(queue)?.map((message): unknown => message.properties.messageId))).toEqual(new Set(ids));
    } finally {
      await amqpConnectionPool.closeAll();
      await proxy.close();
    }
  });

  it("reuseConnection: a refused publish (missing exchange) keeps the pooled connection for the next one", async () => {
    const queue = await consumedQueue();
    const refused = await sendAmqp(amqpContext({ url: rabbitUrl, exchange: `switchyard-test-missing-${randomUUID()}`, reuseConnection: true }));
    expect(refused.result).toBe("permanent");
    const next = await sendAmqp(amqpContext({ url: rabbitUrl, exchange: "", routingKey: queue, reuseConnection: true }));
    expect(next.result, next.error).toBe("succeeded");
    expect(next.response?.connection).toBe("reused");
    expect(amqpConnectionPool.size()).toBe(1);
    await nextOn(queue);
  });
});
