// Configuration of an AMQP 0-9-1 destination (DESIGN.md field names).
import { z } from "zod";
import { headersSchema, templateTextSchema, timeoutMsSchema, brokerUrlSchema } from "@/lib/destinations/config-fields";
import type { SecretField } from "@/lib/destinations/secret-fields";
import { tlsConfigSchema, tlsSecretFields } from "@/lib/destinations/tls/config";
import { presetNameSchema } from "@/lib/destinations/presets/preset-names";

const defaultAmqpRoutingKey = "switchyard.callback.{callback_id}.triggered";

export const amqpConfigSchema = z
  .object({
    url: brokerUrlSchema(["amqps", "amqp"]),
    /** "" is the default exchange, which routes by queue name. */
    exchange: z.string().max(255).default(""),
    exchangeType: z.enum(["direct", "topic", "fanout", "headers"]).default("topic"),
    routingKey: z.string().max(1024).default(defaultAmqpRoutingKey),
    /** true: assertExchange (create if missing); false: a passive check that it exists. */
    declareExchange: z.boolean().default(false),
    durable: z.boolean().default(true),
    persistent: z.boolean().default(true),
    priority: z.number().int().min(0).max(255).optional(),
    expirationMs: z.number().int().min(0).max(2_147_483_647).optional(),
    contentType: z.string().min(1).max(255).default("application/json"),
    headers: headersSchema.default({}),
    /** Unset: the default JSON envelope. */
    payload: templateTextSchema.optional(),
    /** Unroutable messages come back and count as a permanent failure instead of vanishing. */
    mandatory: z.boolean().default(true),
    timeoutMs: timeoutMsSchema.default(10_000),
    reuseConnection: z.boolean().default(false),
    /** TLS for amqps://: private CA, client certificate, SNI, ALPN. */
    tls: tlsConfigSchema.optional(),
    /** A managed service's preset (lib/destinations/presets/): its defaults were filled in, its limits are checked. */
    preset: presetNameSchema.optional(),
  })
  .strict()
  .superRefine((config, issues) => {
    // A CA or client certificate on a plain-text URL would be silently unused.
    if (config.tls && config.url.toLowerCase().startsWith("amqp:")) issues.addIssue({ code: "custom", path: ["tls"], message: "is used over amqps:// only; this URL is amqp://" });
  });

export type AmqpConfig = z.infer<typeof amqpConfigSchema>;

export const amqpSecretFields: readonly SecretField[] = [{ path: ["url"], kind: "url-password" }, ...tlsSecretFields];
