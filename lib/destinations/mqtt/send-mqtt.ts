// MQTT destination: one attempt = connect, publish, wait for the broker's acknowledgement
// (PUBACK for QoS 1, PUBCOMP for QoS 2), close — all under the destination's one timeout. With
// `reuseConnection` a warm instance keeps the connection in a small pool instead of closing it.
// The broker's address is checked as it is connected to (transport.ts), for every transport.
import type { MqttConfig } from "@/lib/destinations/mqtt/config";
import type { DeliveryOutcome, Sender } from "@/lib/destinations/types";
import { mqttKind } from "@/lib/destinations/kinds";
import {
  brokerOutcome,
  publishPooledWithRetry,
  publishOnce,
  prepareBrokerSend,
  startDeadline,
  type Deadline,
  type PublishRun as BrokerPublishRun,
  type PublishStage,
} from "@/lib/destinations/broker/support";
import { ConnectionPool, poolKey } from "@/lib/destinations/broker/connection-pool";
import { closeMqttConnection, openMqttConnection, publishMqtt, type MqttConnection, type MqttTransportSettings } from "@/lib/destinations/mqtt/client";
import { classifyMqttError } from "@/lib/destinations/mqtt/errors";
import { describeMqttMessage, recordedMqttMessage, renderMqttMessage, type MqttMessage } from "@/lib/destinations/mqtt/message";
import { InsecureTlsRefusedError, tlsConnectOptions } from "@/lib/destinations/tls/options";
import { getEnv } from "@/lib/env";

type Stage = PublishStage;

interface PublishRun extends BrokerPublishRun {
  clientId: string;
}

/** Pooled connections of this instance (reuseConnection: true); tests count and close them. */
export const mqttConnectionPool = new ConnectionPool<MqttConnection>({
  isUsable: (connection) => connection.client.connected && !connection.client.disconnecting && !connection.closed,
  close: (connection) => closeMqttConnection(connection),
});

function newRun(message: MqttMessage): PublishRun {
  return { timings: { connectMs: 0, publishMs: 0 }, clientId: message.connect.clientId, connection: "new" };
}

async function publishShortLived(message: MqttMessage, transport: MqttTransportSettings, deadline: Deadline, deferClose?: (closing: Promise<void>) => void): Promise<PublishRun> {
  const run = await publishOnce(
    {
      open: () => openMqttConnection(message.connect, transport, deadline),
      publish: async (connection) => {
        await publishMqtt(connection, message.topic, message.payload, message.publish, deadline);
      },
      close: (connection) => closeMqttConnection(connection),
    },
    deferClose,
  );
  return { ...run, clientId: message.connect.clientId };
}

/** Two destinations share a pooled connection only if everything about it matches, TLS settings (client certificate…) and sign-in included. */
function mqttPoolKey(message: MqttMessage, transport: MqttTransportSettings): string {
  const { connect } = message;
  const clientId = message.clientIdConfigured ? connect.clientId : undefined;
  return poolKey(["mqtt", connect.url.toString(), connect.username, connect.password, connect.protocolVersion, clientId, JSON.stringify(transport), JSON.stringify(connect.auth ?? null)]);
}

function publishPooled(message: MqttMessage, transport: MqttTransportSettings, deadline: Deadline): Promise<PublishRun> {
  const key = mqttPoolKey(message, transport);
  const run = newRun(message);
  const retryable = (failure: { error: unknown; stage: Stage }) =>
    classifyMqttError(failure.error, failure.stage, message.connect.protocolVersion, message.connect.auth?.type).result === "retryable";
  return publishPooledWithRetry(
    mqttConnectionPool,
    key,
    run,
    {
      open: () => openMqttConnection(message.connect, transport, deadline),
      acquired: (connection) => (run.clientId = connection.client.options.clientId ?? run.clientId),
      publish: (connection) => publishMqtt(connection, message.topic, message.payload, message.publish, deadline),
    },
    retryable,
  );
}

/** mqtt.js resolves QoS 1 at PUBACK and QoS 2 at PUBCOMP, but hands back its own stored packet. */
function describeAck(message: MqttMessage): Record<string, unknown> {
  const qos = message.publish.qos ?? 0;
  return { ack: qos === 0 ? "none (QoS 0)" : qos === 1 ? "PUBACK" : "PUBCOMP" };
}

const targetOf = (message: MqttMessage) => `${message.address} topic ${message.topic}`;

/** `recorded` is the message as the log shows it (recordedMqttMessage); `forms` the credentials' forms. */
function toOutcome(recorded: MqttMessage, forms: readonly string[], run: PublishRun, reuse: boolean, durationMs: number): DeliveryOutcome {
  // A pooled connection keeps the client id it was opened with; a configured one shows as recorded.
  const clientId = recorded.clientIdConfigured ? recorded.connect.clientId : run.clientId;
  const request = { ...describeMqttMessage(recorded, reuse, forms), clientId };
  const classify = (failure: { error: unknown; stage: Stage }) => classifyMqttError(failure.error, failure.stage, recorded.connect.protocolVersion, recorded.connect.auth?.type);
  return brokerOutcome(run, { target: targetOf(recorded), request, ack: describeAck(recorded), durationMs }, classify);
}

/** The TLS options to connect with; production refuses a stored insecureSkipVerify (read only then: benchmarks run without lib/env). */
function transportSettings(config: MqttConfig, allowPrivate: boolean): MqttTransportSettings {
  const production = config.tls?.insecureSkipVerify ? getEnv().production : false;
  return { tls: tlsConnectOptions(config.tls, production), allowPrivate };
}

export const sendMqtt: Sender<MqttConfig> = async (context) => {
  const { config } = context;
  const prepared = prepareBrokerSend(context, mqttKind.describeTarget(config), renderMqttMessage, recordedMqttMessage);
  if ("failure" in prepared) return prepared.failure;
  const { message, recorded, forms, started } = prepared;
  let transport: MqttTransportSettings;
  try {
    transport = transportSettings(config, context.allowPrivateDestinations);
  } catch (error) {
    if (!(error instanceof InsecureTlsRefusedError)) throw error;
    const request = describeMqttMessage(recorded, config.reuseConnection, forms);
    return { result: "permanent", error: error.message, target: targetOf(recorded), request, response: null, durationMs: Math.round(performance.now() - started) };
  }
  const deadline = startDeadline(config.timeoutMs);
  const run = config.reuseConnection ? await publishPooled(message, transport, deadline) : await publishShortLived(message, transport, deadline, context.deferClose);
  return toOutcome(recorded, forms, run, config.reuseConnection, Math.round(performance.now() - started));
};
