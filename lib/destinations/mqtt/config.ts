// Configuration of an MQTT destination (DESIGN.md field names).
import { z } from "zod";
import { templateTextSchema, timeoutMsSchema, brokerUrlSchema } from "@/lib/destinations/config-fields";
import type { SecretField } from "@/lib/destinations/secret-fields";
import { tlsConfigSchema, tlsSecretFields } from "@/lib/destinations/tls/config";
import { presetNameSchema } from "@/lib/destinations/presets/preset-names";

const defaultMqttTopic = "switchyard/{callback_id}/triggered";

/** A credential that may be written as a `{secret:NAME}` template instead of its value. */
const isTemplate = (value: string) => /\{[A-Za-z_]/.test(value);

/** AWS IoT Core over wss: the connect URL is presigned with SigV4 for each connection. Key fields may be templates. */
const awsSigV4AuthSchema = z
  .object({
    type: z.literal("aws_sigv4"),
    region: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9-]+$/, "must be an AWS region such as us-east-1"),
    accessKeyId: z.string().min(1).max(128),
    /** Sealed. */
    secretAccessKey: z.string().min(1).max(256),
    /** Sealed; for temporary (STS) credentials. */
    sessionToken: z.string().min(1).max(8192).optional(),
  })
  .strict();

/** Azure IoT Hub device sign-in: a SAS token is made from the device key for each connection. */
const azureSasAuthSchema = z
  .object({
    type: z.literal("azure_sas"),
    deviceId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9\-.%_*?!(),:=@$']+$/, "must be an IoT Hub device id (letters, digits and - . % _ * ? ! ( ) , : = @ $ ')"),
    /** The device's symmetric key (base64, or a template), sealed. */
    deviceKey: z
      .string()
      .min(1)
      .max(256)
      .refine((value) => /^[A-Za-z0-9+/]+={0,2}$/.test(value) || isTemplate(value), "must be the device's base64 key as IoT Hub shows it"),
    /** How long each token is valid; a new one is made for every connection. */
    expirySeconds: z.number().int().min(60).max(31_536_000).default(3600),
  })
  .strict();

const mqttAuthSchema = z.discriminatedUnion("type", [awsSigV4AuthSchema, azureSasAuthSchema]);

export type MqttAuth = z.infer<typeof mqttAuthSchema>;

/** Which schemes each cloud sign-in works over. */
const authSchemes: Record<MqttAuth["type"], readonly string[]> = { aws_sigv4: ["wss"], azure_sas: ["mqtts", "wss"] };

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
    /** Cloud IoT sign-in instead of username/password: AWS IoT Core (SigV4) or Azure IoT Hub (SAS). */
    auth: mqttAuthSchema.optional(),
    /** A managed service's preset (lib/destinations/presets/): its defaults were filled in, its limits are checked. */
    preset: presetNameSchema.optional(),
  })
  .strict()
  .superRefine((config, issues) => {
    const scheme = URL.canParse(config.url) ? new URL(config.url).protocol.slice(0, -1) : "";
    // A CA or client certificate on a plain-text URL would be silently unused.
    if (config.tls && (scheme === "mqtt" || scheme === "ws")) {
      issues.addIssue({ code: "custom", path: ["tls"], message: `is used over mqtts:// and wss:// only; this URL is ${scheme}://` });
    }
    const auth = config.auth;
    if (!auth) return;
    const allowed = authSchemes[auth.type];
    if (!allowed.includes(scheme)) {
      issues.addIssue({ code: "custom", path: ["auth", "type"], message: `${auth.type} works over ${allowed.map((name) => `${name}://`).join(" or ")} only, not ${scheme}://` });
    }
    // The signature or token is the credential: a username/password beside it would be ignored.
    const url = URL.canParse(config.url) ? new URL(config.url) : undefined;
    if (config.username !== undefined || url?.username) issues.addIssue({ code: "custom", path: ["username"], message: `must not be set with auth ${auth.type}: the sign-in supplies it` });
    if (config.password !== undefined || url?.password) issues.addIssue({ code: "custom", path: ["password"], message: `must not be set with auth ${auth.type}: the sign-in supplies it` });
    // IoT Hub accepts only the device id as the client id.
    if (auth.type === "azure_sas" && config.clientId !== undefined)
      issues.addIssue({ code: "custom", path: ["clientId"], message: "must not be set with auth azure_sas: IoT Hub requires the device id as client id" });
  });

export type MqttConfig = z.infer<typeof mqttConfigSchema>;

export const mqttSecretFields: readonly SecretField[] = [
  { path: ["password"], kind: "value" },
  { path: ["url"], kind: "url-password" },
  ...tlsSecretFields,
  { path: ["auth", "secretAccessKey"], kind: "value" },
  { path: ["auth", "sessionToken"], kind: "value" },
  { path: ["auth", "deviceKey"], kind: "value" },
];
