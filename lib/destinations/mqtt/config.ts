// Configuration of an MQTT destination (DESIGN.md field names).
import { z } from "zod";
import { templateTextSchema, timeoutMsSchema, brokerUrlSchema } from "@/lib/destinations/config-fields";
import type { SecretField } from "@/lib/destinations/secret-fields";
import { tlsConfigSchema, tlsSecretFields } from "@/lib/destinations/tls/config";
import { presetNameSchema } from "@/lib/destinations/preset-names";

const defaultMqttTopic = "switchyard/{callback_id}/triggered";

export const mqttConfigSchema = z
  .object({
    url: brokerUrlSchema(["wss", "ws", "mqtts", "mqtt"]),
    topic: z.string().min(1).max(1024).default(defaultMqttTopic),
    qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
    retain: z.boolean().default(false),
    username: z.string().max(1024).optional(),
    password: z.string().max(4096).optional(),
    clientId: z.string().min(1).max(256).optional(),
    protocolVersion: z.union([z.literal(4), z.literal(5)]).default(4),
    /** Unset: the default JSON envelope. */
    payload: templateTextSchema.optional(),
    format: z.enum(["json", "text", "xml"]).default("json"),
    /** MQTT 5 only: the broker drops the message if undelivered for this long. */
    messageExpirySeconds: z.number().int().min(1).max(4_294_967_295).optional(),
    timeoutMs: timeoutMsSchema.default(10_000),
    /** Keep the connection open in a warm function instance for later deliveries. */
    reuseConnection: z.boolean().default(false),
    /** TLS for mqtts:// and wss://: private CA, client certificate, SNI, ALPN. */
    tls: tlsConfigSchema.optional(),
    /** A managed service's preset (lib/destinations/presets.ts): its defaults were filled in, its limits are checked. */
    preset: presetNameSchema.optional(),
  })
  .strict();

export type MqttConfig = z.infer<typeof mqttConfigSchema>;

export const mqttSecretFields: readonly SecretField[] = [{ path: ["password"], kind: "value" }, { path: ["url"], kind: "url-password" }, ...tlsSecretFields];
