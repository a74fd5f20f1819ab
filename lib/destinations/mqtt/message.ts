// Renders what one MQTT attempt publishes (topic, payload, client identity, MQTT 5 properties)
// and describes it for the delivery log without credentials.
import type { IClientPublishOptions } from "mqtt";
import type { MqttAuth, MqttConfig } from "@/lib/destinations/mqtt/config";
import type { SendContext } from "@/lib/destinations/types";
import { brokerAddress, checkedTransformTarget, payloadSample, renderRecordedMessage, resolveBrokerUrl } from "@/lib/destinations/broker/support";
import { redactedValue } from "@/lib/log";
import { defaultClientId, type MqttConnectOptions } from "@/lib/destinations/mqtt/client";
import { mqttDefaultPorts } from "@/lib/destinations/mqtt/transport";
import { recordedTls, type RecordedTls } from "@/lib/destinations/tls/options";
import { awsIotWebSocketPath } from "@/lib/destinations/cloud/aws-iot-websocket";
import { azureIotHubWebSocketPath } from "@/lib/destinations/cloud/azure-sas";
import type { MqttTransformed } from "@/lib/transforms/transform-output";
import { isRequestExpression, parseTemplate } from "@/lib/templates";

const mqttProtocols = ["wss", "ws", "mqtts", "mqtt"] as const;

const contentTypes: Record<MqttConfig["format"], string> = {
  json: "application/json",
  text: "text/plain; charset=utf-8",
  xml: "application/xml",
};

export interface MqttMessage {
  connect: MqttConnectOptions;
  /** false: the client id is generated per connection, so it is no part of a pool key. */
  clientIdConfigured: boolean;
  /** scheme://host:port[/path], no credentials. */
  address: string;
  topic: string;
  payload: string;
  contentType: string;
  publish: IClientPublishOptions;
  /** What the log shows of the TLS settings (never the key or passphrase). */
  tls?: RecordedTls;
}

function credentialsOf(context: SendContext<MqttConfig>, url: URL): { username?: string; password?: string } {
  const { config, render } = context;
  const username = config.username !== undefined ? render(config.username, "text") : url.username ? decodeURIComponent(url.username) : undefined;
  const password = config.password !== undefined ? render(config.password, "text") : url.password ? decodeURIComponent(url.password) : undefined;
  return { username: username || undefined, password: password || undefined };
}

function publishOptions(context: SendContext<MqttConfig>, contentType: string, transformed: MqttTransformed | undefined): IClientPublishOptions {
  const { config } = context;
  const returned = transformed?.properties;
  if (config.protocolVersion !== 5) {
    if (returned) throw new Error("the transform returned MQTT 5 properties, but this destination uses MQTT 3.1.1");
    return { qos: config.qos, retain: config.retain };
  }
  const expiry = returned?.messageExpiryInterval ?? config.messageExpirySeconds;
  return {
    qos: config.qos,
    retain: config.retain,
    properties: {
      userProperties: { ...returned?.userProperties, "delivery-id": context.job.deliveryId },
      contentType,
      payloadFormatIndicator: true,
      ...(expiry === undefined ? {} : { messageExpiryInterval: expiry }),
      ...(returned?.responseTopic === undefined ? {} : { responseTopic: checkedTransformTarget("mqtt_topic", returned.responseTopic, "response topic") }),
      ...(returned?.correlationData === undefined ? {} : { correlationData: Buffer.from(returned.correlationData) }),
    },
  };
}

/** A cloud sign-in's WebSocket endpoint path, when the URL names none. */
function withCloudPath(url: URL, auth: MqttConfig["auth"]): URL {
  if (!auth || url.protocol !== "wss:" || (url.pathname !== "/" && url.pathname !== "")) return url;
  url.pathname = auth.type === "aws_sigv4" ? awsIotWebSocketPath : azureIotHubWebSocketPath;
  return url;
}

type Render = SendContext<MqttConfig>["render"];

/**
 * Renders a field that names the connection (client id, cloud sign-in). Request data may not fill
 * it: a sender could take another client's identity, and the broker would drop that client. The
 * save-time guard refuses it; a row saved before that rule fails here, as the event's content.
 */
function identityRenderer(render: Render): (field: string, source: string) => string {
  return (field, source) => {
    const found = parseTemplate(source).placeholders.find((placeholder) => isRequestExpression(placeholder.expression));
    if (found) throw new Error(`${field}: {${found.text}} is request data and may not choose the MQTT connection's identity`);
    return render(source, "text");
  };
}

/** The sign-in with its credentials rendered: each may be a `{secret:NAME}` template. */
function renderAuth(auth: MqttAuth | undefined, render: Render): MqttAuth | undefined {
  const identity = identityRenderer(render);
  if (auth?.type === "aws_sigv4") {
    const sessionToken = auth.sessionToken === undefined ? {} : { sessionToken: identity("config.auth.sessionToken", auth.sessionToken) };
    return {
      ...auth,
      accessKeyId: identity("config.auth.accessKeyId", auth.accessKeyId),
      secretAccessKey: identity("config.auth.secretAccessKey", auth.secretAccessKey),
      ...sessionToken,
    };
  }
  if (auth?.type === "azure_sas") return { ...auth, deviceKey: identity("config.auth.deviceKey", auth.deviceKey) };
  return undefined;
}

function clientIdOf(context: SendContext<MqttConfig>): string {
  const { config } = context;
  // IoT Hub accepts only the device id as client id.
  if (config.auth?.type === "azure_sas") return config.auth.deviceId;
  return config.clientId === undefined ? defaultClientId(context.job.deliveryId) : identityRenderer(context.render)("config.clientId", config.clientId);
}

function renderedPayload({ config, render, defaultPayload }: SendContext<MqttConfig>): { payload: string; contentType: string } {
  if (config.payload === undefined) return { payload: defaultPayload(), contentType: contentTypes.json };
  return { payload: render(config.payload, config.format), contentType: contentTypes[config.format] };
}

/** Throws TemplateRenderError (a template cannot render) or Error (the broker URL is unusable). */
export function renderMqttMessage(context: SendContext<MqttConfig>): MqttMessage {
  const { config, render } = context;
  const url = withCloudPath(resolveBrokerUrl(config.url, mqttProtocols), config.auth);
  const { username, password } = credentialsOf(context, url);
  url.username = "";
  url.password = "";
  const transformed = context.transformed?.kind === "mqtt" ? context.transformed : undefined;
  const topic = transformed?.topic === undefined ? render(config.topic, "mqtt_topic") : checkedTransformTarget("mqtt_topic", transformed.topic, "topic");
  const { payload, contentType } = transformed ?? renderedPayload(context);
  const clientId = clientIdOf(context);
  const tls = recordedTls(config.tls);
  const auth = renderAuth(config.auth, render);
  return {
    connect: { url, clientId, username, password, protocolVersion: config.protocolVersion, ...(auth ? { auth } : {}) },
    clientIdConfigured: config.clientId !== undefined || config.auth?.type === "azure_sas",
    address: brokerAddress(url, mqttDefaultPorts),
    topic,
    payload,
    contentType,
    publish: publishOptions(context, contentType, transformed),
    ...(tls ? { tls } : {}),
  };
}

/**
 * What the log shows of `sent`: topic, payload and a configured client id rendered again with
 * every secret as "***" (a generated client id is the one that connected).
 */
export function recordedMqttMessage(context: SendContext<MqttConfig>, sent: MqttMessage): MqttMessage {
  const masked = renderRecordedMessage(
    () => renderMqttMessage({ ...context, render: context.renderForRecord }),
    () => ({ ...sent, topic: redactedValue, payload: redactedValue, connect: { ...sent.connect, clientId: redactedValue } }),
  );
  const clientId = sent.clientIdConfigured ? masked.connect.clientId : sent.connect.clientId;
  return { ...sent, topic: masked.topic, payload: masked.payload, connect: { ...sent.connect, clientId } };
}

export function describeMqttMessage(message: MqttMessage, reuseConnection: boolean, forms: readonly string[] = []): Record<string, unknown> {
  const { connect, publish } = message;
  return {
    broker: message.address,
    protocolVersion: connect.protocolVersion,
    clientId: connect.clientId,
    authentication: describeAuthentication(connect),
    topic: message.topic,
    qos: publish.qos ?? 0,
    retain: publish.retain ?? false,
    ...(publish.properties ? { properties: publish.properties } : {}),
    contentType: message.contentType,
    payload: payloadSample(message.payload, forms),
    payloadBytes: Buffer.byteLength(message.payload),
    reuseConnection,
    ...(message.tls ? { tls: message.tls } : {}),
  };
}

/** How the client signs in, without the credential itself (a signed URL or SAS token is never recorded). */
function describeAuthentication(connect: MqttConnectOptions): string {
  if (connect.auth?.type === "aws_sigv4") return `aws_sigv4 (URL presigned for each connection, region ${connect.auth.region})`;
  if (connect.auth?.type === "azure_sas") return `azure_sas (SAS token made for each connection, device ${connect.auth.deviceId})`;
  return connect.username !== undefined || connect.password !== undefined ? "username/password" : "none";
}
