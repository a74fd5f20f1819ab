// A callback's custom acknowledgement: what a trigger answers instead of 202 with the JSON
// answer. The body (and each header value) is a template over the request and the trigger's own
// ids; it is checked here at save time and rendered by lib/triggers/acknowledgement.ts.
import { z } from "zod";
import { plainHeaderNameSchema } from "@/lib/http/header-name";
import { TemplateError, validateTemplate, type ParsedTemplate, type TemplateMode } from "@/lib/templates";

/**
 * Names the trigger may not set: hop-by-hop and framing headers belong to the server, and
 * Set-Cookie would let any sender's callback plant cookies on the console's own origin (the
 * trigger routes share it). The rate-limit and replay headers are the app's own.
 */
const forbiddenHeaders = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "content-length",
  "set-cookie",
  "set-cookie2",
  "idempotent-replayed",
  "retry-after",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  // Always set on an acknowledgement (lib/triggers/acknowledgement.ts): see answerSafetyHeaders.
  "content-security-policy",
  "x-content-type-options",
]);

/**
 * The trigger routes share the console's origin, and an acknowledgement may echo the request: a
 * page served from there could act with an operator's session. So no HTML content type, and
 * every acknowledgement is sandboxed and never sniffed.
 */
export const answerSafetyHeaders = { "content-security-policy": "default-src 'none'; sandbox", "x-content-type-options": "nosniff" } as const;
const refusedContentType = /html|javascript|ecmascript/i;

/** Placeholders an acknowledgement may use: the request and the trigger's ids, nothing configured. */
const allowedSimple = new Set(["uuid", "timestamp", "timestamp_ms", "callback_id", "event_id", "delivery_ids", "method", "path", "original_payload"]);

function refusedPlaceholder(parsed: ParsedTemplate): string | undefined {
  for (const { expression, text } of parsed.placeholders) {
    if (expression.kind === "simple" && !allowedSimple.has(expression.name)) return text;
    if (expression.kind === "var" || expression.kind === "env" || expression.kind === "secret") return text;
  }
  return undefined;
}

/** JSON when the content type says so (or, without one, when the body looks like JSON). */
export function acknowledgementBodyMode(headers: Readonly<Record<string, string>>, body: string): { mode: TemplateMode; contentType: string } {
  const declared = Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1];
  if (declared !== undefined) return { mode: /\bjson\b/i.test(declared) ? "json" : "text", contentType: declared };
  return /^\s*[[{]/.test(body) ? { mode: "json", contentType: "application/json" } : { mode: "text", contentType: "text/plain; charset=utf-8" };
}

function templateIssue(source: string, mode: TemplateMode): string | undefined {
  try {
    const parsed = validateTemplate(source, mode);
    const refused = refusedPlaceholder(parsed);
    return refused === undefined ? undefined : `{${refused}} is not available in an acknowledgement (the request, {event_id}, {delivery_ids} and {callback_id} are)`;
  } catch (error) {
    if (error instanceof TemplateError) return error.message;
    throw error;
  }
}

const headerValueSchema = z
  .string()
  .max(1024)
  .refine((value) => !/[\r\n\0]/.test(value), "must not contain CR, LF or NUL");

export const acknowledgementSchema = z
  .object({
    status: z.union([z.literal(200), z.literal(201), z.literal(202), z.literal(204)]),
    headers: z.record(plainHeaderNameSchema, headerValueSchema).default({}),
    body: z.string().max(16_384).optional(),
  })
  .strict()
  .superRefine((ack, context) => {
    if (Object.keys(ack.headers).length > 20) context.addIssue({ code: "custom", path: ["headers"], message: "at most 20 headers" });
    for (const [name, value] of Object.entries(ack.headers)) {
      if (forbiddenHeaders.has(name.toLowerCase())) context.addIssue({ code: "custom", path: ["headers", name], message: `${name} is set by the server and cannot be configured` });
      if (name.toLowerCase() === "content-type" && (refusedContentType.test(value) || /\{[A-Za-z_]/.test(value))) {
        context.addIssue({ code: "custom", path: ["headers", name], message: "must be a literal type that is not HTML or script (the answer is served from the console's origin)" });
      }
      const issue = templateIssue(value, "header");
      if (issue) context.addIssue({ code: "custom", path: ["headers", name], message: issue });
    }
    if (ack.body === undefined) return;
    if (ack.status === 204) {
      context.addIssue({ code: "custom", path: ["body"], message: "a 204 answer has no body; remove it or pick another status" });
      return;
    }
    const issue = templateIssue(ack.body, acknowledgementBodyMode(ack.headers, ack.body).mode);
    if (issue) context.addIssue({ code: "custom", path: ["body"], message: issue });
  });

export type AcknowledgementInput = z.infer<typeof acknowledgementSchema>;
