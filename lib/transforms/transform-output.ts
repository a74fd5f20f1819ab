// What a transform may return, per destination kind, checked with zod before anything is sent.
// A returned part replaces the configured template for that part; a part left out keeps it. A
// body or payload that is not a string is sent as JSON. The URL is not a part: the origin a
// destination sends to is the operator's, never the transform's.
import { z } from "zod";
import { issueMessage } from "@/lib/errors";
import { plainHeaderNameSchema } from "@/lib/http/header-name";

// Node refuses other characters in a header value.
const headerValue = z
  .string()
  .max(8192)
  .regex(/^[\t\x20-\x7e\x80-\xff]*$/, "contains characters HTTP headers cannot carry");

/** Set by the connection or by Switchyard itself; a transform choosing them could steer or break the request. */
const reservedHttpHeaders = new Set(["host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "proxy-authorization", "proxy-connection"]);

const httpHeaders = z.record(plainHeaderNameSchema, headerValue).superRefine((headers, context) => {
  for (const name of Object.keys(headers)) {
    if (reservedHttpHeaders.has(name.toLowerCase())) context.addIssue({ code: "custom", path: [name], message: "is set by the connection and may not be chosen by a transform" });
  }
});

const present = (value: unknown) => value !== undefined;
const message = { message: "is required (return null to drop the delivery)" };

const httpOutputSchema = z
  .object({
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).optional(),
    headers: httpHeaders.optional(),
    query: z.record(z.string().min(1).max(256), z.string().max(8192)).optional(),
    body: z.unknown().refine(present, message),
  })
  .strict();

const mqttOutputSchema = z
  .object({
    topic: z.string().optional(),
    payload: z.unknown().refine(present, message),
    properties: z
      .object({
        contentType: z.string().max(256).optional(),
        responseTopic: z.string().min(1).max(65_535).optional(),
        correlationData: z.string().max(65_535).optional(),
        messageExpiryInterval: z.int().min(0).max(4_294_967_295).optional(),
        userProperties: z.record(z.string().min(1).max(256), z.union([z.string().max(8192), z.array(z.string().max(8192)).max(100)])).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const amqpOutputSchema = z
  .object({
    routingKey: z.string().optional(),
    payload: z.unknown().refine(present, message),
    headers: z.record(z.string().min(1).max(256), z.union([z.string().max(8192), z.number(), z.boolean()])).optional(),
  })
  .strict();

export interface HttpTransformed {
  kind: "http";
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body: string;
  /** From a returned content-type header, else JSON for a non-string body, else plain text. */
  contentType: string;
}

export interface MqttTransformed {
  kind: "mqtt";
  topic?: string;
  payload: string;
  contentType: string;
  properties?: z.infer<typeof mqttOutputSchema>["properties"];
}

export interface AmqpTransformed {
  kind: "amqp";
  routingKey?: string;
  payload: string;
  contentType: string;
  headers?: Record<string, string | number | boolean>;
}

export type TransformedMessage = HttpTransformed | MqttTransformed | AmqpTransformed;
export type TransformKind = TransformedMessage["kind"];

/** `body` as sent: a string as is, anything else as JSON. */
function serialised(value: unknown): { text: string; json: boolean } {
  return typeof value === "string" ? { text: value, json: false } : { text: JSON.stringify(value), json: true };
}

const jsonType = "application/json";
const textType = "text/plain; charset=utf-8";

const allowedFields: Record<TransformKind, string> = {
  http: "method, headers, query, body; the URL cannot change",
  mqtt: "topic, payload, properties",
  amqp: "routingKey, payload, headers",
};

const mqttPropertyNames = "contentType, responseTopic, correlationData, messageExpiryInterval, userProperties";

function issuesOf(error: z.ZodError, kind: TransformKind): string {
  return error.issues
    .map((issue) => {
      const text =
        issue.code === "unrecognized_keys"
          ? `${issue.keys.map((key) => JSON.stringify(key)).join(", ")} cannot be returned (allowed: ${issue.path.length > 0 ? mqttPropertyNames : allowedFields[kind]})`
          : issueMessage(issue);
      return issue.path.length > 0 ? `${issue.path.join(".")}: ${text}` : text;
    })
    .join("; ");
}

/** The transform's return value as the kind takes it, or the reason it cannot be. */
export function shapeTransformOutput(kind: TransformKind, value: unknown): { ok: true; message: TransformedMessage } | { ok: false; error: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: `must return an object or null, not ${Array.isArray(value) ? "an array" : typeof value}` };
  }
  if (kind === "http") {
    const parsed = httpOutputSchema.safeParse(value);
    if (!parsed.success) return { ok: false, error: issuesOf(parsed.error, kind) };
    const { body, headers, ...rest } = parsed.data;
    const sent = serialised(body);
    const headerType = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === "content-type")?.[1];
    return { ok: true, message: { kind, ...rest, ...(headers ? { headers } : {}), body: sent.text, contentType: headerType ?? (sent.json ? jsonType : textType) } };
  }
  if (kind === "mqtt") {
    const parsed = mqttOutputSchema.safeParse(value);
    if (!parsed.success) return { ok: false, error: issuesOf(parsed.error, kind) };
    const { payload, ...rest } = parsed.data;
    const sent = serialised(payload);
    return { ok: true, message: { kind, ...rest, payload: sent.text, contentType: rest.properties?.contentType ?? (sent.json ? jsonType : textType) } };
  }
  const parsed = amqpOutputSchema.safeParse(value);
  if (!parsed.success) return { ok: false, error: issuesOf(parsed.error, kind) };
  const { payload, ...rest } = parsed.data;
  const sent = serialised(payload);
  return { ok: true, message: { kind, ...rest, payload: sent.text, contentType: sent.json ? jsonType : textType } };
}
