// The config side of each destination kind: schema, credential fields, a one-line target for
// logs and lists, and which fields are templates (rendered at delivery, checked at save).
import { z } from "zod";
import { amqpConfigSchema, amqpSecretFields, type AmqpConfig } from "@/lib/destinations/amqp/config";
import { httpConfigSchema, httpSecretFields, type HttpConfig } from "@/lib/destinations/http/config";
import { mqttConfigSchema, mqttSecretFields, type MqttConfig } from "@/lib/destinations/mqtt/config";
import type { SecretField } from "@/lib/destinations/secret-fields";
import type { DestinationKind } from "@/lib/db/schema";
import { isCredentialHeaderName, isCredentialQueryName } from "@/lib/secrets/credential-names";
import type { TemplateField, TemplateMode } from "@/lib/templates";
import { redactedValue } from "@/lib/log";

export const destinationKindNames = ["http", "mqtt", "amqp"] as const satisfies readonly DestinationKind[];

/**
 * A save-time rule beyond the mode's own (lib/destinations/save-guards.ts): "credential" takes
 * its credential from `{secret:…}` only; "target_url" lets no request data into the origin;
 * "no_request_data" lets no request data in at all.
 */
export type TemplateGuard = "credential" | "target_url" | "no_request_data";

/** A destination's templated field, with the save-time rule it must also keep. */
export interface GuardedTemplateField extends TemplateField {
  guard?: TemplateGuard;
  /** A URL whose own query's credential parameters (`?api_key=…`) follow the "credential" rule. */
  queryCredentials?: boolean;
}

export interface KindDefinition<C> {
  kind: DestinationKind;
  schema: z.ZodType<C>;
  secretFields: readonly SecretField[];
  describeTarget(config: C): string;
  templateFields(config: C): GuardedTemplateField[];
}

/** The URL as lists and logs show it: no userinfo, and a credential query parameter (a row saved before the save-time rule) masked. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    for (const name of new Set(parsed.searchParams.keys())) if (isCredentialQueryName(name)) parsed.searchParams.set(name, redactedValue);
    return parsed.toString();
  } catch {
    return url;
  }
}

const recordFields = (prefix: string, record: Record<string, string>, mode: TemplateMode, isCredential?: (key: string) => boolean): GuardedTemplateField[] =>
  Object.entries(record).map(([key, source]) => ({ field: `${prefix}.${key}`, source, mode, ...(isCredential?.(key) ? { guard: "credential" as const } : {}) }));

function payloadMode(format: string): TemplateMode {
  if (format === "json") return "json";
  if (format === "xml") return "xml";
  if (format === "form") return "form";
  return "text";
}

const optionalField = (field: string, source: string | undefined, mode: TemplateMode): GuardedTemplateField[] => (source === undefined ? [] : [{ field, source, mode }]);

export const httpKind: KindDefinition<HttpConfig> = {
  kind: "http",
  schema: httpConfigSchema,
  secretFields: httpSecretFields,
  describeTarget: (config) => `${config.method} ${withoutCredentials(config.url)}`,
  templateFields: (config) => [
    { field: "config.url", source: config.url, mode: "url", guard: "target_url", queryCredentials: true },
    ...recordFields("config.query", config.query, "text", isCredentialQueryName),
    ...recordFields("config.headers", config.headers, "header", isCredentialHeaderName),
    ...optionalField("config.body", config.body, payloadMode(config.bodyType)),
    ...authTemplateFields(config),
  ],
};

function authTemplateFields(config: HttpConfig): GuardedTemplateField[] {
  const auth = config.auth;
  switch (auth.type) {
    case "none":
      return [];
    case "basic":
      return [
        { field: "config.auth.username", source: auth.username, mode: "text" },
        { field: "config.auth.password", source: auth.password, mode: "text" },
      ];
    case "bearer":
      return [{ field: "config.auth.token", source: auth.token, mode: "header" }];
    case "api_key":
      return [{ field: "config.auth.value", source: auth.value, mode: auth.in === "header" ? "header" : "text" }];
    case "oauth2_client_credentials":
      return [
        { field: "config.auth.tokenUrl", source: auth.tokenUrl, mode: "url", guard: "target_url", queryCredentials: true },
        { field: "config.auth.clientId", source: auth.clientId, mode: "text" },
        { field: "config.auth.clientSecret", source: auth.clientSecret, mode: "text" },
      ];
    case "aws_sigv4":
      return [
        { field: "config.auth.accessKeyId", source: auth.accessKeyId, mode: "header" },
        { field: "config.auth.secretAccessKey", source: auth.secretAccessKey, mode: "text" },
        ...optionalField("config.auth.sessionToken", auth.sessionToken, "header"),
      ];
  }
}

export const mqttKind: KindDefinition<MqttConfig> = {
  kind: "mqtt",
  schema: mqttConfigSchema,
  secretFields: mqttSecretFields,
  describeTarget: (config) => `${withoutCredentials(config.url)} topic ${config.topic} (QoS ${config.qos})`,
  templateFields: (config) => [
    { field: "config.topic", source: config.topic, mode: "mqtt_topic" },
    ...optionalField("config.payload", config.payload, payloadMode(config.format)),
    ...optionalField("config.clientId", config.clientId, "text").map((field) => ({ ...field, guard: "no_request_data" as const })),
    ...optionalField("config.username", config.username, "text"),
    ...optionalField("config.password", config.password, "text"),
    ...mqttAuthTemplateFields(config.auth),
  ],
};

/** A cloud sign-in's credentials may be `{secret:…}` templates; request data may not pick them. */
function mqttAuthTemplateFields(auth: MqttConfig["auth"]): GuardedTemplateField[] {
  const sources: Record<string, string | undefined> =
    auth?.type === "aws_sigv4"
      ? { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey, sessionToken: auth.sessionToken }
      : auth?.type === "azure_sas"
        ? { deviceKey: auth.deviceKey }
        : {};
  return Object.entries(sources)
    .flatMap(([name, source]) => optionalField(`config.auth.${name}`, source, "text"))
    .map((field) => ({ ...field, guard: "no_request_data" as const }));
}

export const amqpKind: KindDefinition<AmqpConfig> = {
  kind: "amqp",
  schema: amqpConfigSchema,
  secretFields: amqpSecretFields,
  describeTarget: (config) => `${withoutCredentials(config.url)} exchange ${config.exchange === "" ? "(default)" : config.exchange} key ${config.routingKey}`,
  templateFields: (config) => [
    { field: "config.routingKey", source: config.routingKey, mode: "amqp_routing_key" },
    // A credential header name means the same on a message as on a request: its value is a credential.
    ...recordFields("config.headers", config.headers, "header", isCredentialHeaderName),
    ...optionalField("config.payload", config.payload, config.contentType.includes("json") ? "json" : "text"),
  ],
};

export const kindDefinitions = { http: httpKind, mqtt: mqttKind, amqp: amqpKind } as const;

export function kindDefinition(kind: DestinationKind): KindDefinition<HttpConfig | MqttConfig | AmqpConfig> {
  return kindDefinitions[kind];
}

export type DestinationConfig = HttpConfig | MqttConfig | AmqpConfig;
