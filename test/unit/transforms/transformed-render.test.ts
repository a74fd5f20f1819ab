// How each kind's renderer uses a transform's output: the returned parts replace the templates,
// what the transform may not choose (the URL, a wildcard topic, an over-long routing key, MQTT 5
// properties on a 3.1.1 destination) is refused as the event's content.
import { describe, expect, it } from "vitest";
import { httpConfigSchema } from "@/lib/destinations/http/config";
import { fieldRenderer, renderHttpRequest } from "@/lib/destinations/http/render";
import { renderMqttMessage } from "@/lib/destinations/mqtt/message";
import { renderAmqpMessage } from "@/lib/destinations/amqp/message";
import { shapeTransformOutput, type TransformedMessage } from "@/lib/transforms/transform-output";
import { deliveryJob, sendContext } from "@/scripts/lib/send-context";
import { amqpContext, mqttContext } from "../../support/broker-context";

function shaped(kind: TransformedMessage["kind"], value: unknown): TransformedMessage {
  const result = shapeTransformOutput(kind, value);
  if (!result.ok) throw new Error(result.error);
  return result.message;
}

function httpRequest(config: Record<string, unknown>, output: unknown) {
  const context = { ...sendContext(httpConfigSchema.parse(config), deliveryJob("http")), transformed: shaped("http", output) };
  const transformed = context.transformed.kind === "http" ? context.transformed : undefined;
  return renderHttpRequest({ config: context.config, renderField: fieldRenderer(context.render), deliveryId: context.job.deliveryId, defaultPayload: context.defaultPayload, transformed });
}

describe("HTTP with a transform", () => {
  it("keeps the configured URL and replaces method, headers, query and body", () => {
    const request = httpRequest(
      { url: "https://receiver.example/hooks?fixed=1", method: "POST", headers: { "X-Configured": "yes" }, query: { configured: "q" }, body: '{"configured": true}' },
      { method: "PUT", headers: { "X-Chosen": "by transform" }, query: { page: "2" }, body: { n: 1 } },
    );
    expect(request.method).toBe("PUT");
    expect(request.url.toString()).toBe("https://receiver.example/hooks?fixed=1&page=2");
    expect(request.headers).toMatchObject({ "x-chosen": "by transform", "content-type": "application/json", "content-length": "7", "user-agent": "Switchyard/1.0" });
    expect(request.headers["x-configured"]).toBeUndefined();
    expect(request.body).toBe('{"n":1}');
  });

  it("keeps the configured parts the transform leaves out, and sends no body for GET", () => {
    const request = httpRequest({ url: "https://receiver.example/hooks", headers: { "X-Configured": "yes" }, query: { configured: "q" } }, { method: "GET", body: "ignored" });
    expect(request.method).toBe("GET");
    expect(request.url.searchParams.get("configured")).toBe("q");
    expect(request.headers["x-configured"]).toBe("yes");
    expect(request.body).toBeUndefined();
  });
});

describe("MQTT with a transform", () => {
  it("publishes the returned payload on the returned topic, MQTT 5 properties merged with the delivery id", () => {
    const context = mqttContext({ url: "mqtt://127.0.0.1:1883", topic: "configured/topic", protocolVersion: 5 });
    const message = renderMqttMessage({
      ...context,
      transformed: shaped("mqtt", { topic: "orders/7", payload: { id: 7 }, properties: { userProperties: { shop: "north" }, messageExpiryInterval: 60 } }),
    });
    expect(message.topic).toBe("orders/7");
    expect(message.payload).toBe('{"id":7}');
    expect(message.publish.properties).toMatchObject({
      contentType: "application/json",
      messageExpiryInterval: 60,
      userProperties: { shop: "north", "delivery-id": context.job.deliveryId },
    });
  });

  it("keeps the configured topic when none is returned, and refuses a wildcard topic or properties on MQTT 3.1.1", () => {
    const context = mqttContext({ url: "mqtt://127.0.0.1:1883", topic: "configured/topic" });
    expect(renderMqttMessage({ ...context, transformed: shaped("mqtt", { payload: "x" }) }).topic).toBe("configured/topic");
    expect(() => renderMqttMessage({ ...context, transformed: shaped("mqtt", { topic: "orders/+", payload: "x" }) })).toThrow(/the transform's topic is invalid: .*wildcard/);
    expect(() => renderMqttMessage({ ...context, transformed: shaped("mqtt", { payload: "x", properties: { contentType: "text/plain" } }) })).toThrow(
      "the transform returned MQTT 5 properties, but this destination uses MQTT 3.1.1",
    );
  });
});

describe("AMQP with a transform", () => {
  it("publishes with the returned routing key, headers and payload, and refuses a routing key over 255 bytes", () => {
    const context = amqpContext({ url: "amqp://127.0.0.1:5672", exchange: "", routingKey: "configured", headers: { "x-configured": "yes" } });
    const message = renderAmqpMessage({ ...context, transformed: shaped("amqp", { routingKey: "orders.eu", payload: { id: 7 }, headers: { "x-id": 7 } }) });
    expect(message).toMatchObject({ routingKey: "orders.eu", payload: '{"id":7}', options: { contentType: "application/json", headers: { "x-id": 7 } } });
    expect(() => renderAmqpMessage({ ...context, transformed: shaped("amqp", { routingKey: "k".repeat(256), payload: "x" }) })).toThrow(
      /the transform's routing key is invalid: .*255 bytes/,
    );
  });
});
