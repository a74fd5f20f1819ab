// What an HTTP attempt records. The request is rendered a second time with every `{secret:…}`
// as "***" and every auth credential replaced by the mask, so the stored copy never held a
// secret to begin with; the wire copy only contributes what carries none (signature headers,
// lengths, the hop a redirect led to). Value masking in every encoding stays as a second net.
import type { HttpConfig } from "@/lib/destinations/http/config";
import type { OutgoingRequest } from "@/lib/destinations/http/request";
import type { SendContext } from "@/lib/destinations/types";
import { applyAuth, maskedAuth, maskRequest, type CredentialLocations, type ResolvedAuth } from "@/lib/destinations/http/auth";
import { fieldRenderer, renderHttpRequest } from "@/lib/destinations/http/render";
import { maskThenTruncate } from "@/lib/secrets/redact";
import { redactedValue } from "@/lib/log";

const recordedBodyChars = 4096;

/** The request as the recorded rendering gives it, auth applied with the mask. */
export function recordedBase(context: SendContext<HttpConfig>, auth: ResolvedAuth, locations: CredentialLocations, sent: OutgoingRequest): OutgoingRequest {
  const config = context.recordedConfig ?? context.config;
  let base: OutgoingRequest;
  try {
    const transformed = context.transformed?.kind === "http" ? context.transformed : undefined;
    base = renderHttpRequest({ config, renderField: fieldRenderer(context.renderForRecord), deliveryId: context.job.deliveryId, defaultPayload: context.defaultPayload, transformed });
  } catch {
    // A masked secret can make a field unrenderable (say, "***" as a port): keep the origin,
    // which the value net still scans, and nothing else.
    base = { method: sent.method, url: new URL(sent.url.origin), headers: {}, body: sent.body === undefined ? undefined : redactedValue };
  }
  const withAuth = auth.type === "oauth2" ? applyAuth(base, auth, redactedValue) : applyAuth(base, maskedAuth(auth));
  return maskRequest(withAuth, locations);
}

/**
 * The hop that was sent last, told in recorded values: its method and headers (a header the
 * recorded rendering has shows that value), the recorded body when the hop kept one, and the URL
 * a redirect led to (the receiver's Location, which the value net still scans).
 */
export function recordedHop(base: OutgoingRequest, hop: OutgoingRequest, redirected: boolean, locations: CredentialLocations): OutgoingRequest {
  const fromBase = (name: string, value: string) => (name === "content-length" ? value : (base.headers[name] ?? value));
  const headers = Object.fromEntries(Object.entries(hop.headers).map(([name, value]) => [name, fromBase(name, value)]));
  const recorded = { method: hop.method, url: redirected ? hop.url : base.url, headers, body: hop.body === undefined ? undefined : base.body };
  return maskRequest(recorded, locations);
}

export function describeRecorded(recorded: OutgoingRequest, sent: OutgoingRequest, forms: readonly string[]): Record<string, unknown> {
  return {
    method: recorded.method,
    url: recorded.url.toString(),
    headers: recorded.headers,
    body: recorded.body === undefined ? null : maskThenTruncate(recorded.body, forms, recordedBodyChars),
    bodyBytes: sent.body === undefined ? 0 : Buffer.byteLength(sent.body),
  };
}

export const recordedTarget = (request: OutgoingRequest) => `${request.method} ${request.url.origin}${request.url.pathname}`;
