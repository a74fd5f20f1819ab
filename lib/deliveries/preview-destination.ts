// Renders a destination against a sample request or a past event without sending anything:
// every template field, the message as it would go out and, for HTTP, the whole request.
// Secrets render as "***" and every stored credential is masked; render problems come back as
// a list of field + message, never as a crash.
import { z } from "zod";
import { redactedValue } from "@/lib/log";
import type { Database } from "@/lib/db";
import type { DestinationRow } from "@/lib/db/schema";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { findDestinationById } from "@/lib/db/queries/destinations";
import { findEventById } from "@/lib/db/queries/events";
import { notFound } from "@/lib/errors";
import { capturedSampleOf, sampleRequestSchema } from "@/lib/http/sample-request";
import { uuidv7 } from "@/lib/ids";
import { capturedRequestSchema, type CapturedRequest, type DeliveryJob } from "@/lib/deliveries/job";
import { defaultPayloadText } from "@/lib/deliveries/envelope";
import { redactValue, secretForms } from "@/lib/secrets/redact";
import { buildTemplateContext } from "@/lib/destinations/send-context";
import { httpMethodSchema } from "@/lib/destinations/config-fields";
import type { HttpConfig } from "@/lib/destinations/http/config";
import { kindDefinition, type GuardedTemplateField } from "@/lib/destinations/kinds";
import { joinSecrets } from "@/lib/destinations/secret-fields";
import { callbackVariables, readStoredSecrets } from "@/lib/destinations/manage-destinations";
import { missingSecrets } from "@/lib/secrets/manage-secrets";
import { MASKED_SECRETS, maskSecrets, referencedSecrets, renderTemplate, type TemplateContext } from "@/lib/templates";
import { previewHttpRequest, type PreviewedHttpRequest } from "@/lib/deliveries/preview-http";
import { previewTransform, transformedPayload, type TransformPreview } from "@/lib/deliveries/preview-transform";
import { checkTransformSource } from "@/lib/transforms/check-transform";

export const previewInputSchema = z
  .object({
    sample: sampleRequestSchema(httpMethodSchema.default("POST"), "/preview").optional(),
    eventId: z.uuid().optional(),
    /** A transform to try instead of the stored one (the editor's unsaved text); null: none. */
    transform: z
      .string()
      .nullable()
      .optional()
      .superRefine((source, issues) => {
        if (typeof source !== "string") return;
        try {
          checkTransformSource(source, "transform");
        } catch (error) {
          issues.addIssue({ code: "custom", message: error instanceof Error ? error.message.replace(/^transform: /, "") : "is not a valid transform" });
        }
      }),
  })
  .strict()
  .refine((input) => !(input.sample && input.eventId), { message: "give either sample or eventId, not both", path: ["eventId"] });

export type PreviewInput = z.infer<typeof previewInputSchema>;

export interface PreviewIssue {
  field: string;
  message: string;
}

export interface DestinationPreview {
  destinationId: string;
  kind: string;
  target: string;
  source: "sample" | "event";
  eventId: string | null;
  /** Every template field, rendered. */
  fields: Record<string, string>;
  /** The message body as it would be sent (null: none, e.g. an HTTP GET). */
  payload: string | null;
  request?: PreviewedHttpRequest;
  /** What the destination's transform returned for this event (absent: no transform). */
  transform?: TransformPreview;
}

export type PreviewResult = { ok: true; preview: DestinationPreview } | { ok: false; issues: PreviewIssue[] };

async function requestFor(db: Database, input: PreviewInput): Promise<{ request: CapturedRequest; eventId: string | null }> {
  if (!input.eventId) return { request: capturedSampleOf(input.sample, "/preview"), eventId: null };
  const event = await findEventById(db, input.eventId);
  if (!event) throw notFound("Event");
  const request = capturedRequestSchema.parse({
    method: event.method,
    path: event.path,
    query: event.query,
    headers: event.headers,
    body: event.body,
    bodyEncoding: event.body_encoding,
    receivedAt: new Date(event.received_at).toISOString(),
  });
  return { request, eventId: event.id };
}

const credentialFieldNames = (row: DestinationRow) =>
  new Set(
    kindDefinition(row.kind)
      .secretFields.filter((field) => field.kind === "value")
      .map((field) => `config.${field.path.join(".")}`),
  );

async function missingSecretIssues(db: Database, fields: GuardedTemplateField[]): Promise<PreviewIssue[]> {
  const uses = fields.flatMap((field) => safeSecrets(field.source).map((name) => ({ field: field.field, name })));
  const missing = new Set(uses.length > 0 ? await missingSecrets(db, [...new Set(uses.map((use) => use.name))]) : []);
  return uses.filter((use) => missing.has(use.name)).map((use) => ({ field: use.field, message: `secret {secret:${use.name}} does not exist` }));
}

function safeSecrets(source: string): string[] {
  try {
    return referencedSecrets(source);
  } catch {
    return [];
  }
}

function renderFields(fields: GuardedTemplateField[], context: TemplateContext, masked: Set<string>) {
  const values: Record<string, string> = {};
  const issues: PreviewIssue[] = [];
  for (const field of fields) {
    try {
      const value = renderTemplate(field.source, field.mode, context);
      values[field.field] = masked.has(field.field) ? redactedValue : value;
    } catch (error) {
      issues.push({ field: field.field, message: error instanceof Error ? error.message : "render failed" });
    }
  }
  return { values, issues };
}

// The default envelope of a body too deep to serialise is a finding about the sample, not a crash.
function serialisedDefault(defaultPayload: () => string): string | PreviewIssue {
  try {
    return defaultPayload();
  } catch (error) {
    return { field: "payload", message: `the default payload cannot be built: ${error instanceof Error ? error.message : "serialisation failed"}` };
  }
}

export async function previewDestination(db: Database, destinationId: string, input: PreviewInput): Promise<PreviewResult> {
  const row = await findDestinationById(db, destinationId);
  if (!row) throw notFound("Destination");
  const [callback, source] = await Promise.all([findCallbackById(db, row.callback_id), requestFor(db, input)]);
  const definition = kindDefinition(row.kind);
  const stored = readStoredSecrets(row);
  const parsed = definition.schema.safeParse(joinSecrets(row.config as Record<string, unknown>, definition.secretFields, stored));
  if (!parsed.success) return { ok: false, issues: [{ field: "config", message: `stored configuration is invalid: ${parsed.error.issues[0]?.message ?? "unknown"}` }] };
  const job: DeliveryJob = { v: 1, deliveryId: uuidv7(), eventId: source.eventId ?? uuidv7(), callbackId: row.callback_id, destinationId: row.id, kind: row.kind, request: source.request };
  const variables = callbackVariables(callback);
  const context = maskSecrets(buildTemplateContext(job, { id: row.id, variables, secrets: MASKED_SECRETS }, 1));
  const fields = definition.templateFields(parsed.data);
  const rendered = renderFields(fields, context, credentialFieldNames(row));
  const issues = [...(await missingSecretIssues(db, fields)), ...rendered.issues];
  const transform = await previewTransform(input.transform === undefined ? row.transform : input.transform, row.kind, job, variables);
  if (!transform.ok) issues.push(transform.issue);
  if (issues.length > 0 || !transform.ok) return { ok: false, issues };
  const transformed = transform.preview?.status === "message" ? transform.preview.output : undefined;
  const defaultPayload = () => defaultPayloadText(job);
  const http = row.kind === "http" && transform.preview?.status !== "dropped" ? previewHttpRequest(parsed.data as HttpConfig, job, context, defaultPayload, transformed) : undefined;
  if (http && !http.ok) return { ok: false, issues: [http.issue] };
  // A transform's null drops the event: nothing would be sent.
  const fromTransform = transformedPayload(transform.preview);
  const payloadField = fromTransform !== undefined ? fromTransform : (rendered.values["config.body"] ?? rendered.values["config.payload"]);
  const payload = http?.ok ? http.request.body : payloadField === null ? null : (payloadField ?? serialisedDefault(defaultPayload));
  if (typeof payload === "object" && payload !== null) return { ok: false, issues: [payload] };
  const preview: DestinationPreview = {
    destinationId: row.id,
    kind: row.kind,
    target: definition.describeTarget(parsed.data),
    source: source.eventId ? "event" : "sample",
    eventId: source.eventId,
    fields: rendered.values,
    payload,
    ...(http?.ok ? { request: http.request } : {}),
    ...(transform.preview ? { transform: transform.preview } : {}),
  };
  // Second net: no stored credential value survives anywhere in the answer.
  return { ok: true, preview: redactValue(preview, secretForms(Object.values(stored))) };
}
