// What a render can see. The caller builds it once per delivery attempt (secrets already loaded,
// env already filtered to TRIGGER_VAR_*), so rendering stays synchronous and free of I/O.

/** The captured trigger request, as stored in the events table. */
export interface TemplateEvent {
  id: string;
  callbackId: string;
  /** ISO 8601. */
  receivedAt: string;
  method: string;
  path: string;
  query: Readonly<Record<string, string | readonly string[]>>;
  /** Any key case; `{header.NAME}` matches case-insensitively. */
  headers: Readonly<Record<string, string>>;
  /** The raw body: UTF-8 text, or base64 when the body was not valid UTF-8. */
  body: string;
  bodyEncoding: "utf8" | "base64";
  /** Falls back to the content-type header when absent. */
  contentType?: string;
}

/** Preview renders: every `{secret:…}` shows as the mask (lib/log.ts `redactedValue`), whatever secrets exist. */
export const MASKED_SECRETS: unique symbol = Symbol("switchyard.maskedSecrets");

/**
 * Treat as immutable once rendering starts: the parsed body, header index and `{uuid}` are
 * computed on first use and reused for every field rendered with the same object.
 */
export interface TemplateContext {
  event: TemplateEvent;
  deliveryId: string;
  /** Every delivery of the trigger: set only when rendering its acknowledgement (lib/triggers/acknowledgement.ts). */
  deliveryIds?: readonly string[];
  destinationId: string;
  attempt: number;
  /** Static per-callback variables. */
  vars: Readonly<Record<string, string>>;
  /** Only TRIGGER_VAR_* names reach here (lib/env.ts `triggerVars`); return undefined if unset. */
  env: (name: string) => string | undefined;
  secrets: Readonly<Record<string, string>> | typeof MASKED_SECRETS;
  now: Date;
  /** Called at most once per context: `{uuid}` is the same in every field of one attempt. */
  uuid: () => string;
}

/** The context a preview renders with: same values, secrets shown as "***". */
export function maskSecrets(context: TemplateContext): TemplateContext {
  return { ...context, secrets: MASKED_SECRETS };
}
