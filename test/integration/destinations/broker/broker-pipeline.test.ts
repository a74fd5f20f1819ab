// Trigger → QStash → /api/deliver → MQTT / AMQP broker, through the whole pipeline: what the
// subscriber or consumer got, and what the operator reads in the delivery log.
import { randomUUID } from "node:crypto";
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMqttBroker, type EmbeddedMqttBroker } from "@/scripts/dev/mqtt-broker";
import { freePort } from "@/scripts/lib/net-tools";
import { call, waitFor } from "../../../support/api";
import { createCallback, getDelivery, waitForDelivery } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { subscribe } from "../../../support/mqtt-subscriber";

const app = useApp();
const mqttPassword = "pipeline-mqtt-secret-42";

let guarded: EmbeddedMqttBroker;
let admin: ChannelModel;
let channel: Channel;

beforeAll(async () => {
  guarded = await startMqttBroker({
    port: 0,
    wsPort: 0,
    authenticate: (_client, username, password, done) => done(null, username === "switchyard" && password?.toString() === mqttPassword),
  });
  admin = await connect("amqp://guest:guest@127.0.0.1:5672", { noDelay: true });
  channel = await admin.createChannel();
});

afterAll(async () => {
  await guarded?.close();
  await admin?.close();
});

async function trigger(triggerUrl: string, body: unknown): Promise<string> {
  const answer = await call<{ deliveries: Array<{ id: string }> }>(triggerUrl, "POST", "", { body, token: null });
  expect(answer.status).toBe(202);
  return answer.body.deliveries[0]?.id ?? "";
}

async function expectLoggedOnce(deliveryId: string, topic: string): Promise<void> {
  const detail = await waitForDelivery(app.url, deliveryId, ["succeeded", "failed", "dead"]);
  expect(detail.status, detail.lastError ?? "").toBe("succeeded");
  expect(detail.attempts).toBe(1);
  expect(detail.attemptsLog).toHaveLength(1);
  expect(detail.attemptsLog[0]?.request).toMatchObject({ topic, qos: 1, authentication: "username/password" });
  expect(detail.attemptsLog[0]?.response).toMatchObject({ ack: "PUBACK" });
  expect(JSON.stringify(detail)).not.toContain(mqttPassword);
}

describe("broker destinations through the pipeline", () => {
  it("MQTT: the subscriber gets the message with the delivery id; the log shows one attempt and no password", async () => {
    const callback = await createCallback(app.url, {
      name: "mqtt-pipeline",
      destinations: [
        {
          kind: "mqtt",
          name: "aedes",
          config: { url: guarded.wsUrl, topic: "switchyard/{callback_id}/triggered", qos: 1, username: "switchyard", password: mqttPassword },
        },
      ],
    });
    const topic = `switchyard/${callback.id}/triggered`;
    const subscriber = await subscribe(guarded.tcpUrl, [topic], { username: "switchyard", password: mqttPassword });
    try {
      const deliveryId = await trigger(callback.triggerUrl, { door: "open" });
      const message = await subscriber.next(topic);
      expect(JSON.parse(message.payload)).toMatchObject({ deliveryId, callbackId: callback.id, request: { body: { door: "open" } } });
      await expectLoggedOnce(deliveryId, topic);
    } finally {
      await subscriber.close();
    }
  });

  it("AMQP: the consumer gets messageId = delivery id; the log shows the confirm and no password", async () => {
    const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
    const received: ConsumeMessage[] = [];
    await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
    const callback = await createCallback(app.url, {
      name: "amqp-pipeline",
      destinations: [{ kind: "amqp", name: "rabbit", config: { url: "amqp://guest:guest@127.0.0.1:5672", exchange: "", routingKey: queue } }],
    });
    const deliveryId = await trigger(callback.triggerUrl, { order: 7 });
    const detail = await waitForDelivery(app.url, deliveryId, ["succeeded", "failed", "dead"]);
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(detail.attempts).toBe(1);
    const message = await waitFor(async () => received[0], { what: "the AMQP message" });
    expect(message.properties.messageId).toBe(deliveryId);
    expect(JSON.parse(message.content.toString())).toMatchObject({ deliveryId, request: { body: { order: 7 } } });
    expect(detail.attemptsLog[0]?.response).toMatchObject({ ack: "publisher confirm" });
    expect(JSON.stringify(detail)).not.toContain("guest:guest");
  });

  it("MQTT broker down: the delivery is retried and succeeds once the broker is back", async () => {
    const port = await freePort();
    const topic = `switchyard-test/${randomUUID()}/recovered`;
    const callback = await createCallback(app.url, {
      name: "mqtt-down",
      retries: 20,
      destinations: [{ kind: "mqtt", name: "flaky broker", config: { url: `mqtt://127.0.0.1:${port}`, topic, qos: 1 } }],
    });
    const deliveryId = await trigger(callback.triggerUrl, { n: 1 });
    const failedOnce = await waitFor(async () => {
      const detail = await getDelivery(app.url, deliveryId);
      return detail.attempts >= 1 ? detail : undefined;
    });
    expect(failedOnce.status).toBe("queued");
    expect(failedOnce.attemptsLog[0]?.error).toMatch(/^Broker unreachable: connection refused/);
    const arrived: string[] = [];
    const back = await startMqttBroker({ port, wsPort: 0, onPublish: (name, payload) => name === topic && arrived.push(payload.toString("utf8")) });
    try {
      const detail = await waitForDelivery(app.url, deliveryId, ["succeeded", "failed", "dead"]);
      expect(detail.status).toBe("succeeded");
      expect(detail.attempts).toBeGreaterThanOrEqual(2);
      expect(detail.attemptsLog.at(-1)?.outcome).toBe("succeeded");
      expect(detail.attemptsLog.slice(0, -1).every((attempt) => attempt.outcome === "retryable")).toBe(true);
      expect(arrived.map((payload) => (JSON.parse(payload) as { deliveryId: string }).deliveryId)).toEqual([deliveryId]);
    } finally {
      await back.close();
    }
  });
});
