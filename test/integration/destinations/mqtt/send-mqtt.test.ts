// sendMqtt against real brokers — Mosquitto (TCP :1883, WebSocket :19001) and an embedded aedes
// (TCP and WebSocket on ephemeral ports) — with a real subscriber checking what arrived.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendMqtt, mqttConnectionPool } from "@/lib/destinations/mqtt/send-mqtt";
import type { DeliveryOutcome } from "@/lib/destinations/types";
import { startMqttBroker, type EmbeddedMqttBroker } from "@/scripts/dev/mqtt-broker";
import { ensureTestBrokers, mosquittoWsUrl } from "@/scripts/brokers/ensure-brokers";
import { freePort } from "@/scripts/lib/net-tools";
import { waitFor } from "../../../support/api";
import { subscribe, withSubscriber } from "../../../support/mqtt-subscriber";
import { expectDeferredClose } from "../../../support/deferred-close";
import { mqttContext, openTcpHandles } from "../../../support/broker-context";
import { startSilentServer } from "../../../support/silent-server";

const mosquittoTcpUrl = "mqtt://127.0.0.1:1883";
const brokerPassword = "correct-horse-battery-staple";

let stopBrokers: () => Promise<void>;
let aedes: EmbeddedMqttBroker;
let guarded: EmbeddedMqttBroker;

beforeAll(async () => {
  stopBrokers = await ensureTestBrokers();
  aedes = await startMqttBroker({ port: 0, wsPort: 0 });
  guarded = await startMqttBroker({
    port: 0,
    wsPort: 0,
    // As real brokers do: unknown user → "not authorised" (5), known user, bad password → 4.
    authenticate: (_client, username, password, done) => {
      if (username !== "switchyard") return done(Object.assign(new Error("not authorised"), { returnCode: 5 }), null);
      if (password?.toString() !== brokerPassword) return done(Object.assign(new Error("bad password"), { returnCode: 4 }), null);
      done(null, true);
    },
  });
});

afterAll(async () => {
  await mqttConnectionPool.closeAll();
  await aedes?.close();
  await guarded?.close();
  await stopBrokers?.();
});

const transports = () => [
  { name: "mosquitto TCP", url: mosquittoTcpUrl },
  { name: "mosquitto WebSocket", url: `${mosquittoWsUrl}/mqtt` },
  { name: "aedes TCP", url: aedes.tcpUrl },
  { name: "aedes WebSocket", url: aedes.wsUrl },
];

const expectedAck = { 0: "none (QoS 0)", 1: "PUBACK", 2: "PUBCOMP" } as const;

describe("sendMqtt: publish and acknowledgement", () => {
  it.each(["mosquitto TCP", "mosquitto WebSocket", "aedes TCP", "aedes WebSocket"])("%s: QoS 0, 1 and 2 each reach a subscriber, acknowledged as the QoS requires", async (name) => {
    const transport = transports().find((candidate) => candidate.name === name);
    if (!transport) throw new Error(name);
    const prefix = `switchyard-test/${randomUUID()}`;
    await withSubscriber(transport.url, [`${prefix}/#`], async (subscriber) => {
      for (const qos of [0, 1, 2] as const) {
        const context = mqttContext({ url: transport.url, topic: `${prefix}/{callback_id}/qos${qos}`, qos });
        const outcome = await sendMqtt(context);
        expect(outcome.result, outcome.error).toBe("succeeded");
        expect(outcome.response).toMatchObject({ ack: expectedAck[qos], connection: "new" });
        const topic = `${prefix}/${context.job.callbackId}/qos${qos}`;
        expect(outcome.target).toBe(`${new URL(transport.url).protocol}//${new URL(transport.url).host}${new URL(transport.url).pathname.replace(/^\/$/, "")} topic ${topic}`);
        const received = await subscriber.next(topic);
        expect(JSON.parse(received.payload)).toMatchObject({ deliveryId: context.job.deliveryId, request: { body: { order: 42 } } });
        expect(received.packet.qos).toBe(qos);
        const timings = (outcome.response as { timings: Record<string, number> }).timings;
        expect(timings.connectMs).toBeGreaterThan(0);
        expect(timings.closeMs).toBeGreaterThan(0);
      }
      expect(subscriber.messages).toHaveLength(3);
    });
  });

  it("a retained message reaches a subscriber that connects afterwards", async () => {
    const topic = `switchyard-test/${randomUUID()}/retained`;
    const outcome = await sendMqtt(mqttContext({ url: mosquittoTcpUrl, topic, qos: 1, retain: true, format: "text", payload: "state {body.order}" }));
    expect(outcome.result, outcome.error).toBe("succeeded");
    expect(outcome.request).toMatchObject({ retain: true, qos: 1, payload: "state 42" });
    await withSubscriber(mosquittoTcpUrl, [topic], async (late) => {
      const received = await late.next(topic);
      expect(received.payload).toBe("state 42");
      expect(received.packet.retain).toBe(true);
    });
    // Clear the retained message so the broker keeps nothing from this run.
    const subscriber = await subscribe(mosquittoTcpUrl, []);
    await subscriber.client.publishAsync(topic, "", { retain: true, qos: 1 });
    await subscriber.close();
  });

  it.each([
    ["TCP", mosquittoTcpUrl],
    ["WebSocket", `${mosquittoWsUrl}/mqtt`],
  ])("MQTT 5 over %s carries the delivery-id user property, content type and message expiry", async (_, url) => {
    const topic = `switchyard-test/${randomUUID()}/v5`;
    await withSubscriber(
      url,
      [topic],
      async (subscriber) => {
        const context = mqttContext({ url, topic, qos: 2, protocolVersion: 5, format: "xml", payload: '<order id="{body.order}"/>', messageExpirySeconds: 120 });
        const outcome = await sendMqtt(context);
        expect(outcome.result, outcome.error).toBe("succeeded");
        expect(outcome.response).toMatchObject({ ack: "PUBCOMP" });
        const received = await subscriber.next(topic);
        expect(received.payload).toBe('<order id="42"/>');
        const properties = received.packet.properties ?? {};
        expect(properties.userProperties).toEqual({ "delivery-id": context.job.deliveryId });
        expect(properties.contentType).toBe("application/xml");
        expect(properties.messageExpiryInterval).toBeGreaterThan(100);
        expect(properties.messageExpiryInterval).toBeLessThanOrEqual(120);
      },
      5,
    );
  });
});

describe("sendMqtt: failures", () => {
  it("a topic template that renders a wildcard fails permanently and connects to nothing", async () => {
    const prefix = `switchyard-test/${randomUUID()}`;
    const connected: string[] = [];
    const onClient = (client: { id: string }) => connected.push(client.id);
    aedes.aedes.on("client", onClient);
    try {
      await withSubscriber(aedes.tcpUrl, [`${prefix}/#`], async (subscriber) => {
        const before = connected.length;
        const outcome = await sendMqtt(mqttContext({ url: aedes.tcpUrl, topic: `${prefix}/{body.room}` }, { body: '{"room":"kitchen/#"}' }));
        expect(outcome.result).toBe("permanent");
        expect(outcome.error).toMatch(/^Content error: Template error: .*(wildcard|may not add levels)/);
        expect(connected.length).toBe(before);
        // A message sent after it arrives alone: nothing from the failed attempt came first.
        const good = await sendMqtt(mqttContext({ url: aedes.tcpUrl, topic: `${prefix}/kitchen` }));
        expect(good.result).toBe("succeeded");
        await subscriber.next(`${prefix}/kitchen`);
        expect(subscriber.messages.map((message) => message.topic)).toEqual([`${prefix}/kitchen`]);
      });
    } finally {
      aedes.aedes.off("client", onClient);
    }
  });

  it.each(["mqtt", "ws"])("a broker that is down (%s, closed port) is a retryable 'broker unreachable'", async (scheme) => {
    const port = await freePort();
    const outcome = await sendMqtt(mqttContext({ url: `${scheme}://127.0.0.1:${port}/mqtt`, topic: "switchyard-test/down", qos: 1 }));
    expect(outcome.result).toBe("retryable");
    expect(outcome.error).toMatch(/^Broker unreachable: connection refused/);
    expect(outcome.response).toMatchObject({ failedAt: "connect" });
  });

  it("a broker that never answers times out within timeoutMs, retryable, and leaves no socket", async () => {
    const silent = await startSilentServer();
    const before = openTcpHandles();
    try {
      const started = performance.now();
      const outcome = await sendMqtt(mqttContext({ url: `mqtt://127.0.0.1:${silent.port}`, topic: "switchyard-test/slow", timeoutMs: 300 }));
      expect(outcome.result).toBe("retryable");
      expect(outcome.error).toMatch(/^Timed out: connect timed out/);
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(silent.connections).toBe(1);
      await waitFor(async () => openTcpHandles() <= before, { what: "the timed-out socket to close", timeoutMs: 2_000 });
    } finally {
      await silent.close();
    }
  });

  it.each([false, true])("a broker that never answers: the attempt records the time its connect took (reuseConnection %s)", async (reuseConnection) => {
    const silent = await startSilentServer();
    try {
      const outcome = await sendMqtt(mqttContext({ url: `mqtt://127.0.0.1:${silent.port}`, topic: "switchyard-test/slow", timeoutMs: 300, reuseConnection }));
      expect(outcome.result).toBe("retryable");
      expect(outcome.response).toMatchObject({ failedAt: "connect", connection: "new" });
      const timings = (outcome.response as { timings: Record<string, number> }).timings;
      expect(timings.connectMs).toBeGreaterThanOrEqual(250);
      expect(timings.publishMs).toBe(0);
    } finally {
      await mqttConnectionPool.closeAll();
      await silent.close();
    }
  });

  it("a wrong password is a permanent failure, and no credential reaches the outcome", async () => {
    const context = mqttContext({ url: guarded.tcpUrl, topic: "switchyard-test/auth", username: "switchyard", password: "wrong-password-1234" });
    const outcome = await sendMqtt(context);
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toBe("Broker refused the connection: bad username or password (CONNACK return code 4)");
    expect(JSON.stringify(outcome)).not.toContain("wrong-password-1234");
    const stranger = await sendMqtt(mqttContext({ url: guarded.tcpUrl, topic: "switchyard-test/auth", username: "someone-else", password: brokerPassword }));
    expect(stranger.result).toBe("permanent");
    expect(stranger.error).toBe("Broker refused the connection: not authorised (CONNACK return code 5)");
    const right = await sendMqtt(mqttContext({ url: guarded.wsUrl, topic: "switchyard-test/auth", username: "switchyard", password: brokerPassword }));
    expect(right.result, right.error).toBe("succeeded");
    expect(right.request).toMatchObject({ authentication: "username/password" });
    expect(JSON.stringify(right)).not.toContain(brokerPassword);
  });

  it("without ALLOW_PRIVATE_DESTINATIONS a loopback broker is refused, permanently, before connecting", async () => {
    const connected: string[] = [];
    const onClient = (client: { id: string }) => connected.push(client.id);
    aedes.aedes.on("client", onClient);
    try {
      const outcome = await sendMqtt({ ...mqttContext({ url: aedes.tcpUrl, topic: "switchyard-test/ssrf" }), allowPrivateDestinations: false });
      expect(outcome.result).toBe("permanent");
      expect(outcome.error).toMatch(/^destination address 127\.0\.0\.1 is private\/loopback; blocked/);
      expect(connected).toEqual([]);
    } finally {
      aedes.aedes.off("client", onClient);
    }
  });

  it("credentials in the URL are used for the broker and kept out of target and request", async () => {
    const outcome = await sendMqtt(mqttContext({ url: `mqtt://switchyard:${brokerPassword}@127.0.0.1:${guarded.port}`, topic: "switchyard-test/auth" }));
    expect(outcome.result, outcome.error).toBe("succeeded");
    expect(outcome.target).toBe(`mqtt://127.0.0.1:${guarded.port} topic switchyard-test/auth`);
    expect(JSON.stringify(outcome)).not.toContain(brokerPassword);
  });
});

describe("sendMqtt: connections", () => {
  it("short-lived: no socket stays open after a delivery", async () => {
    const before = openTcpHandles();
    const outcomes: DeliveryOutcome[] = [];
    for (let index = 0; index < 3; index += 1) outcomes.push(await sendMqtt(mqttContext({ url: mosquittoTcpUrl, topic: "switchyard-test/leak", qos: 1 })));
    expect(outcomes.map((outcome) => outcome.result)).toEqual(["succeeded", "succeeded", "succeeded"]);
    await waitFor(async () => openTcpHandles() <= before, { what: "TCP handles back to the baseline", timeoutMs: 2_000 });
    expect(mqttConnectionPool.size()).toBe(0);
  });

  it("short-lived with deferClose: answers once acknowledged, hands over the close, and the close leaves no socket", async () => {
    await expectDeferredClose(sendMqtt, mqttContext({ url: mosquittoTcpUrl, topic: "switchyard-test/deferred-close", qos: 1 }));
  });

  it("reuseConnection: concurrent deliveries open one shared connection", async () => {
    const prefix = `switchyard-test/${randomUUID()}`;
    await withSubscriber(aedes.tcpUrl, [`${prefix}/#`], async (subscriber) => {
      const outcomes = await Promise.all([1, 2, 3, 4, 5].map((n) => sendMqtt(mqttContext({ url: aedes.tcpUrl, topic: `${prefix}/${n}`, qos: 2, reuseConnection: true }))));
      expect(outcomes.map((outcome) => outcome.result)).toEqual(Array(5).fill("succeeded"));
      expect(mqttConnectionPool.size()).toBe(1);
      expect(new Set(outcomes.map((outcome) => outcome.request.clientId)).size).toBe(1);
      await waitFor(async () => subscriber.messages.length === 5, { what: "five messages" });
      await mqttConnectionPool.closeAll();
    });
  });

  it("reuseConnection: deliveries share one connection, and a dropped one is replaced within the attempt", async () => {
    const prefix = `switchyard-test/${randomUUID()}`;
    await withSubscriber(aedes.tcpUrl, [`${prefix}/#`], async (subscriber) => {
      const send = (n: number) => sendMqtt(mqttContext({ url: aedes.tcpUrl, topic: `${prefix}/${n}`, qos: 1, reuseConnection: true }));
      const senderIds = () => aedes.clientIds().filter((id) => id.startsWith("switchyard-"));
      const first = await send(1);
      const second = await send(2);
      expect([first.result, second.result]).toEqual(["succeeded", "succeeded"]);
      expect([first.response?.connection, second.response?.connection]).toEqual(["new", "reused"]);
      expect(mqttConnectionPool.size()).toBe(1);
      expect(senderIds()).toHaveLength(1);
      // Cut it server-side and publish in the same tick, before the client can notice the drop.
      aedes.dropConnections((id) => id.startsWith("switchyard-"));
      const third = await send(3);
      expect(third.result, third.error).toBe("succeeded");
      expect(third.response?.connection).toBe("replaced");
      await subscriber.next(`${prefix}/3`);
      expect(mqttConnectionPool.size()).toBe(1);
      await waitFor(async () => senderIds().length === 1, { what: "one sender connection on the broker" });
      await mqttConnectionPool.closeAll();
      expect(mqttConnectionPool.size()).toBe(0);
      await waitFor(async () => senderIds().length === 0, { what: "the pooled connection to close" });
    });
  });
});
