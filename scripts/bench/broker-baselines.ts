// The same work as one broker delivery, done with the client library alone: what sendMqtt and
// sendAmqp are measured against. Options match the senders' (QoS 1, confirms, noDelay); `tls`
// (ca, cert, key…) goes to node:tls as the senders' tls object does.
import { randomBytes, randomUUID } from "node:crypto";
import { connect as connectAmqp } from "amqplib";
import { connectAsync, type IClientOptions } from "mqtt";
import { benchPayload } from "./bench-context";

export interface OpenPublisher {
  publish(): Promise<void>;
  close(): Promise<void>;
}

/** PEM text, as a destination's tls object holds it. */
export interface RawTlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
}

const mqttOptions = (tls: RawTlsOptions = {}): IClientOptions => ({ reconnectPeriod: 0, keepalive: 0, clientId: `bench-${randomBytes(6).toString("hex")}`, ...tls });

/** connect + publish QoS 1 + PUBACK + disconnect. */
export async function rawMqttShortLived(url: string, topic: string, tls?: RawTlsOptions): Promise<void> {
  const client = await connectAsync(url, mqttOptions(tls));
  await client.publishAsync(topic, benchPayload(), { qos: 1 });
  await client.endAsync();
}

export async function openRawMqtt(url: string, topic: string, tls?: RawTlsOptions): Promise<OpenPublisher> {
  const client = await connectAsync(url, mqttOptions(tls));
  return {
    publish: async () => {
      await client.publishAsync(topic, benchPayload(), { qos: 1 });
    },
    close: () => client.endAsync(),
  };
}

const amqpOptions = () => ({ persistent: true, mandatory: true, messageId: randomUUID(), contentType: "application/json", appId: "bench" });

/** connect + confirm channel + publish + confirm + close. */
export async function rawAmqpShortLived(url: string, queue: string, tls?: RawTlsOptions): Promise<void> {
  const model = await connectAmqp(url, { noDelay: true, ...tls });
  const channel = await model.createConfirmChannel();
  channel.publish("", queue, Buffer.from(benchPayload()), amqpOptions());
  await channel.waitForConfirms();
  await model.close();
}

export async function openRawAmqp(url: string, queue: string, tls?: RawTlsOptions): Promise<OpenPublisher> {
  const model = await connectAmqp(url, { noDelay: true, ...tls });
  const channel = await model.createConfirmChannel();
  return {
    publish: async () => {
      channel.publish("", queue, Buffer.from(benchPayload()), amqpOptions());
      await channel.waitForConfirms();
    },
    close: () => model.close(),
  };
}
