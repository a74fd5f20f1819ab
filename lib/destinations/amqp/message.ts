// Renders what one AMQP attempt publishes (routing key, headers, payload, properties) and
// describes it for the delivery log without credentials.
import type { Options } from "amqplib";
import type { AmqpConfig } from "@/lib/destinations/amqp/config";
import type { SendContext } from "@/lib/destinations/types";
import { brokerAddress, checkedTransformTarget, payloadSample, renderRecordedMessage, resolveBrokerUrl } from "@/lib/destinations/broker/support";
import { redactedValue } from "@/lib/log";
import type { AmqpTransformed } from "@/lib/transforms/transform-output";

const amqpProtocols = ["amqps", "amqp"] as const;
const defaultPorts = { amqp: 5672, amqps: 5671 };

export interface AmqpMessage {
  /** With credentials: only for connecting, never recorded. */
  connectUrl: string;
  /** scheme://host:port[/vhost], no credentials. */
  address: string;
  hostname: string;
  exchange: string;
  exchangeType: AmqpConfig["exchangeType"];
  declareExchange: boolean;
  durable: boolean;
  routingKey: string;
  payload: string;
  options: Options.Publish & { messageId: string };
}

function connectUrlOf(url: URL): string {
  const withHeartbeat = new URL(url);
  // A short-lived connection needs no heartbeats, and a pooled one is closed when idle.
  withHeartbeat.searchParams.set("heartbeat", "0");
  return withHeartbeat.toString();
}

function renderHeaders(context: SendContext<AmqpConfig>, transformed: AmqpTransformed | undefined): Record<string, string | number | boolean> {
  if (transformed?.headers) return transformed.headers;
  return Object.fromEntries(Object.entries(context.config.headers).map(([name, value]) => [name, context.render(value, "header")]));
}

function renderedPayload({ config, render, defaultPayload }: SendContext<AmqpConfig>): { payload: string; contentType: string } {
  if (config.payload === undefined) return { payload: defaultPayload(), contentType: "application/json" };
  return { payload: render(config.payload, config.contentType.includes("json") ? "json" : "text"), contentType: config.contentType };
}

/** Throws TemplateRenderError (a template cannot render) or Error (the broker URL is unusable). */
export function renderAmqpMessage(context: SendContext<AmqpConfig>): AmqpMessage {
  const { config, render } = context;
  const url = resolveBrokerUrl(config.url, amqpProtocols);
  const transformed = context.transformed?.kind === "amqp" ? context.transformed : undefined;
  const routingKey =
    transformed?.routingKey === undefined ? render(config.routingKey, "amqp_routing_key") : checkedTransformTarget("amqp_routing_key", transformed.routingKey, "routing key");
  const { payload, contentType } = transformed ?? renderedPayload(context);
  const options: AmqpMessage["options"] = {
    persistent: config.persistent,
    contentType,
    headers: renderHeaders(context, transformed),
    messageId: context.job.deliveryId,
    timestamp: Math.floor(Date.now() / 1000),
    appId: "switchyard",
    mandatory: config.mandatory,
    ...(config.priority === undefined ? {} : { priority: config.priority }),
    ...(config.expirationMs === undefined ? {} : { expiration: String(config.expirationMs) }),
  };
  const address = brokerAddress(new URL(`${url.protocol}//${url.host}${url.pathname}`), defaultPorts);
  return {
    connectUrl: connectUrlOf(url),
    address,
    hostname: url.hostname,
    exchange: config.exchange,
    exchangeType: config.exchangeType,
    declareExchange: config.declareExchange,
    durable: config.durable,
    routingKey,
    payload,
    options,
  };
}

/** What the log shows of `sent`: routing key, headers and payload rendered again with every secret as "***". */
export function recordedAmqpMessage(context: SendContext<AmqpConfig>, sent: AmqpMessage): AmqpMessage {
  const masked = renderRecordedMessage(
    () => renderAmqpMessage({ ...context, render: context.renderForRecord }),
    () => ({ ...sent, routingKey: redactedValue, payload: redactedValue, options: { ...sent.options, headers: {} } }),
  );
  return { ...sent, routingKey: masked.routingKey, payload: masked.payload, options: { ...sent.options, headers: masked.options.headers } };
}

export function describeAmqpMessage(message: AmqpMessage, reuseConnection: boolean, forms: readonly string[] = []): Record<string, unknown> {
  return {
    broker: message.address,
    exchange: message.exchange,
    exchangeType: message.exchange === "" ? "direct (default exchange)" : message.exchangeType,
    declareExchange: message.exchange === "" ? false : message.declareExchange,
    routingKey: message.routingKey,
    properties: message.options,
    payload: payloadSample(message.payload, forms),
    payloadBytes: Buffer.byteLength(message.payload),
    reuseConnection,
  };
}

export function describeAmqpTarget(message: AmqpMessage): string {
  return `${message.address} exchange ${message.exchange === "" ? "(default)" : message.exchange} key ${message.routingKey}`;
}
