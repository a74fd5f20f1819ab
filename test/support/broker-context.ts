// SendContexts for calling sendMqtt/sendAmqp directly, from a config as the operator would write
// it (parsed by the kind's schema), built like run-delivery's by scripts/lib/send-context.ts.
import { amqpConfigSchema, type AmqpConfig } from "@/lib/destinations/amqp/config";
import { mqttConfigSchema, type MqttConfig } from "@/lib/destinations/mqtt/config";
import type { SendContext } from "@/lib/destinations/types";
import { deliveryJob, sendContext, type ContextOptions } from "@/scripts/lib/send-context";

export function mqttContext(config: Record<string, unknown>, options: ContextOptions = {}): SendContext<MqttConfig> {
  return sendContext(mqttConfigSchema.parse(config), deliveryJob("mqtt", options), options);
}

export function amqpContext(config: Record<string, unknown>, options: ContextOptions = {}): SendContext<AmqpConfig> {
  return sendContext(amqpConfigSchema.parse(config), deliveryJob("amqp", options), options);
}

/** Count of open TCP handles, by the names Node reports them under. */
export function openTcpHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap" || name === "TCPWrap").length;
}
