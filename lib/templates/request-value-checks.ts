// Delivery-time rules for values taken from the request, per mode. A sender fills a topic level or
// a routing-key word, but may not add levels or words, nor move a topic into the broker's
// reserved "$" space. The operator's own values ({var.…}, {env:…}, {secret:…}) may: they are
// configuration, fixed at save time. Messages never quote the value: they end up in delivery logs.
import { TemplateRenderError } from "@/lib/templates/errors";
import type { TemplateMode } from "@/lib/templates/modes";
import type { Placeholder } from "@/lib/templates/parse";
import { isRequestExpression } from "@/lib/templates/request-data";

/** Called with each inserted text and where it lands in the output; throws to refuse it. */
export type InsertionCheck = (placeholder: Placeholder, inserted: string, offset: number) => void;

function refuse(mode: TemplateMode, placeholder: Placeholder, what: string): TemplateRenderError {
  return new TemplateRenderError("invalid_result", mode, `{${placeholder.text}} is request data and ${what}`, placeholder.text);
}

const checkTopicValue: InsertionCheck = (placeholder, inserted, offset) => {
  if (!isRequestExpression(placeholder.expression)) return;
  if (inserted.includes("/")) throw refuse("mqtt_topic", placeholder, `may not add levels to the MQTT topic: its value contains "/"`);
  if (offset === 0 && inserted.startsWith("$")) {
    throw refuse("mqtt_topic", placeholder, `may not start the MQTT topic with "$" (reserved for the broker)`);
  }
};

const checkRoutingKeyValue: InsertionCheck = (placeholder, inserted) => {
  if (!isRequestExpression(placeholder.expression)) return;
  if (inserted.includes(".")) throw refuse("amqp_routing_key", placeholder, `may not add words to the AMQP routing key: its value contains "."`);
};

/** The check for `mode`, or undefined when request values may hold anything (escaped per mode). */
export function insertionCheckFor(mode: TemplateMode): InsertionCheck | undefined {
  if (mode === "mqtt_topic") return checkTopicValue;
  if (mode === "amqp_routing_key") return checkRoutingKeyValue;
  return undefined;
}
