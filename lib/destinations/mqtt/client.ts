// mqtt.js wrapped for one attempt (or one pooled connection): connect with no automatic
// reconnect, publish until the broker's acknowledgement, close cleanly or by force. Every
// error the client emits has a listener: an unheard 'error' event would crash the function.
// The stream under the client is ours (transport.ts): guarded at connect time, with TLS, and a
// cloud sign-in (AWS presigned URL, Azure SAS token) is made afresh for each connection.
import { randomBytes } from "node:crypto";
import { MqttClient, type IClientPublishOptions, type Packet } from "mqtt";
import { beforeDeadline, startDeadline, type Deadline } from "@/lib/destinations/broker/support";
import type { MqttAuth } from "@/lib/destinations/mqtt/config";
import { assertMqttHostAllowed, openMqttStream } from "@/lib/destinations/mqtt/transport";
import type { TlsConnectOptions } from "@/lib/destinations/tls/options";
import { presignAwsIotUrl } from "@/lib/destinations/cloud/aws-iot-websocket";
import { azureDeviceSignIn } from "@/lib/destinations/cloud/azure-sas";

export interface MqttConnectOptions {
  /** Without credentials; they travel in username/password (or come from `auth`). */
  url: URL;
  clientId: string;
  username?: string;
  password?: string;
  protocolVersion: 4 | 5;
  /** Cloud sign-in, done at each connect. */
  auth?: MqttAuth;
}

/** How the connection is made: TLS options (mqtts, wss) and the address guard's policy. */
export interface MqttTransportSettings {
  tls: TlsConnectOptions;
  allowPrivate: boolean;
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
/** mqtt.js's connect timer runs this much past the attempt's deadline, so the deadline fires first. */
const connectTimeoutSlackMs = 1_000;

export function defaultClientId(deliveryId: string): string {
  return `switchyard-${deliveryId.slice(0, 8)}-${randomBytes(4).toString("hex")}`;
}

/** The URL and credentials for this one connection: a fresh presigned URL or SAS token when `auth` asks for one. */
async function signIn(options: MqttConnectOptions): Promise<Pick<MqttConnectOptions, "url" | "username" | "password">> {
  const { auth, url } = options;
  if (auth?.type === "aws_sigv4") return { url: await presignAwsIotUrl(url, auth) };
  if (auth?.type === "azure_sas") {
    const device = azureDeviceSignIn(url.hostname, auth);
    return { url, username: device.username, password: device.password };
  }
  return { url, username: options.username, password: options.password };
}

/** Resolves on a successful CONNACK; rejects with the client's error, a lost connection or the deadline. */
export async function openMqttConnection(options: MqttConnectOptions, transport: MqttTransportSettings, deadline: Deadline): Promise<MqttConnection> {
  // Node skips `lookup` for IP literals: those are checked here, names at connect time.
  assertMqttHostAllowed(options.url, transport.allowPrivate);
  const { url, username, password } = await signIn(options);
  // mqtt.js passes on only the stream errors that carry a code: a blocked address or a refused
  // WebSocket upgrade would otherwise show as a bare "closed before CONNACK".
  let streamError: Error | undefined;
  const client = new MqttClient(
    () => {
      const stream = openMqttStream({ url, tls: transport.tls, allowPrivate: transport.allowPrivate });
      stream.on("error", (error: Error) => (streamError ??= error));
      return stream;
    },
    {
      clientId: options.clientId,
      username,
      password,
      protocolVersion: options.protocolVersion,
      clean: true,
      // The default reconnects forever; a delivery attempt gets exactly one connection.
      reconnectPeriod: 0,
      // Our deadline is the one that ends a slow connect (as "Timed out: connect timed out"):
      // mqtt.js's own timer, set to the same instant, could win the race with "connack timeout".
      connectTimeout: Math.max(1, Math.ceil(deadline.remainingMs())) + connectTimeoutSlackMs,
      // Connections live for one publish or a short idle time in the pool: no ping timer needed.
      keepalive: 0,
      // The default has mqtt-packet build 65,536 two-byte Buffers (one per 16-bit number, ~7 MB
      // of heap that is never freed) on the first publish, to save an allocation per packet.
      writeCache: false,
    },
  );
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
    const onClose = () => settle(() => reject(streamError ?? new MqttConnectionLostError("the broker closed the connection before CONNACK", connection.disconnectReasonCode)));
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
