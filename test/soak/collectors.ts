// Real receivers for the soak suite, each recording the delivery id of every message it gets
// (duplicates included): an MQTT subscriber and an AMQP consumer on a queue of its own.
import { randomUUID } from "node:crypto";
import { connect, type ChannelModel } from "amqplib";
import { connectAsync, type MqttClient } from "mqtt";

export interface Collector {
  /** One entry per message received, in arrival order. */
  deliveryIds: string[];
  close(): Promise<void>;
}

export interface MqttCollector extends Collector {
  client: MqttClient;
  /** Times the subscriber reconnected after losing the broker. */
  readonly reconnects: number;
  /** CONNACK "session present" of every (re)connection after the first. */
  sessionsResumed: boolean[];
}

function deliveryIdOf(payload: string): string {
  try {
    const parsed = JSON.parse(payload) as { deliveryId?: unknown };
    return typeof parsed.deliveryId === "string" ? parsed.deliveryId : "(no deliveryId)";
  } catch {
    return "(unparsable)";
  }
}

/**
 * QoS 1 subscriber with a persistent session (`clean: false`, fixed client id) that reconnects
 * on its own: a broker that persisted the session hands it what was queued while it was away.
 */
export async function collectMqtt(url: string, topic: string): Promise<MqttCollector> {
  const client = await connectAsync(url, {
    clientId: `soak-sub-${randomUUID().slice(0, 8)}`,
    clean: false,
    reconnectPeriod: 100,
    connectTimeout: 5_000,
    protocolVersion: 4,
  });
  client.on("error", () => undefined);
  const deliveryIds: string[] = [];
  let reconnects = 0;
  client.on("reconnect", () => {
    reconnects += 1;
  });
  client.on("message", (_topic, payload) => deliveryIds.push(deliveryIdOf(payload.toString("utf8"))));
  const sessionsResumed: boolean[] = [];
  client.on("connect", (connack) => sessionsResumed.push(connack.sessionPresent));
  await client.subscribeAsync(topic, { qos: 1 });
  return {
    client,
    deliveryIds,
    sessionsResumed,
    get reconnects() {
      return reconnects;
    },
    close: () => client.endAsync(true),
  };
}

export interface AmqpCollector extends Collector {
  queue: string;
}

/** A consumer on a fresh exclusive queue (gone with its connection); messageId = delivery id. */
export async function collectAmqp(url: string): Promise<AmqpCollector> {
  const connection: ChannelModel = await connect(url, { noDelay: true });
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue(`switchyard-soak-${randomUUID()}`, { exclusive: true, autoDelete: true });
  const deliveryIds: string[] = [];
  await channel.consume(queue, (message) => message && deliveryIds.push(String(message.properties.messageId)), { noAck: true });
  return { queue, deliveryIds, close: () => connection.close() };
}
