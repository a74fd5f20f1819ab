// mqtt.js wrapped for one attempt (or one pooled connection): connect with no automatic
// reconnect, publish until the broker's acknowledgement, close cleanly or by force. Every
// error the client emits has a listener: an unheard 'error' event would crash the function.
import { randomBytes } from "node:crypto";
import { connect, type IClientPublishOptions, type MqttClient, type Packet } from "mqtt";
import { beforeDeadline, startDeadline, type Deadline } from "@/lib/destinations/broker/support";

export interface MqttConnectOptions {
  /** Without credentials; they travel in username/password. */
  url: URL;
  clientId: string;
  username?: string;
  password?: string;
  protocolVersion: 4 | 5;
}

export interface MqttConnection {
  client: MqttClient;
  /** Reason code of a DISCONNECT the broker sent (MQTT 5), to explain a dropped connection. */
  disconnectReasonCode?: number;
  closed: boolean;
}

/** The connection went away without the broker saying why in a CONNACK/PUBACK. */
export class MqttConnectionLostError extends Error {
  override name = "MqttConnectionLostError";
  constructor(
    message: string,
    readonly reasonCode?: number,
  ) {
    super(message);
  }
}

const closeGraceMs = 1_000;

export function defaultClientId(deliveryId: string): string {
  return `switchyard-${deliveryId.slice(0, 8)}-${randomBytes(4).toString("hex")}`;
}

/** Resolves on a successful CONNACK; rejects with the client's error, a lost connection or the deadline. */
export function openMqttConnection(options: MqttConnectOptions, deadline: Deadline): Promise<MqttConnection> {
  const client = connect(options.url.toString(), {
    clientId: options.clientId,
    username: options.username,
    password: options.password,
    protocolVersion: options.protocolVersion,
    clean: true,
    // The default reconnects forever; a delivery attempt gets exactly one connection.
    reconnectPeriod: 0,
    connectTimeout: Math.max(1, Math.ceil(deadline.remainingMs())),
    // Connections live for one publish or a short idle time in the pool: no ping timer needed.
    keepalive: 0,
  });
  const connection: MqttConnection = { client, closed: false };
  client.on("disconnect", (packet) => {
    connection.disconnectReasonCode = packet.reasonCode;
  });
  client.on("close", () => {
    connection.closed = true;
  });
  const connected = new Promise<MqttConnection>((resolve, reject) => {
    const settle = (outcome: () => void) => {
      client.off("connect", onConnect).off("close", onClose);
      // Stays attached: later errors (after CONNACK) are handled by whoever publishes.
      client.off("error", onError).on("error", ignore);
      outcome();
    };
    const onConnect = () => settle(() => resolve(connection));
    const onError = (error: Error) => settle(() => reject(error));
    const onClose = () => settle(() => reject(new MqttConnectionLostError("the broker closed the connection before CONNACK", connection.disconnectReasonCode)));
    client.on("connect", onConnect).on("error", onError).on("close", onClose);
  });
  return beforeDeadline(connected, deadline, "connect", () => client.end(true)).catch((error: unknown) => {
    client.end(true);
    throw error;
  });
}

function ignore(): void {}

/** Publishes and waits for PUBACK (QoS 1) / PUBCOMP (QoS 2); QoS 0 resolves once written. */
export function publishMqtt(connection: MqttConnection, topic: string, payload: string, options: IClientPublishOptions, deadline: Deadline): Promise<Packet | undefined> {
  const { client } = connection;
  if (!client.connected || connection.closed) {
    return Promise.reject(new MqttConnectionLostError("the connection was already closed", connection.disconnectReasonCode));
  }
  let onClose = ignore;
  // With reconnectPeriod 0 mqtt.js keeps a QoS 1/2 callback pending forever after a drop.
  const lost = new Promise<never>((_, reject) => {
    onClose = () => reject(new MqttConnectionLostError("the broker closed the connection before acknowledging", connection.disconnectReasonCode));
    client.once("close", onClose);
  });
  const acknowledged = Promise.race([client.publishAsync(topic, payload, options), lost]);
  return beforeDeadline(acknowledged, deadline, "publish", () => client.end(true)).finally(() => client.off("close", onClose));
}

/** DISCONNECT and wait for the socket to close; force it if the broker does not let go in time. */
export async function closeMqttConnection(connection: MqttConnection, graceMs = closeGraceMs): Promise<void> {
  const { client } = connection;
  if (connection.closed) {
    client.end(true);
    return;
  }
  try {
    await beforeDeadline(client.endAsync(false), startDeadline(graceMs), "close", () => client.end(true));
  } catch {
    client.end(true);
  }
}
