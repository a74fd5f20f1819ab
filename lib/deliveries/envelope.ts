// The default message when a destination sets no payload template.
import type { DeliveryJob } from "@/lib/deliveries/job";

/** The body as JSON text: a JSON body verbatim, anything else as a JSON string. */
function bodyJson(job: DeliveryJob): string {
  const { body, bodyEncoding, headers } = job.request;
  if (bodyEncoding === "base64" || body === "") return JSON.stringify(body);
  if ((headers["content-type"] ?? "").includes("json") || /^\s*[[{]/.test(body)) {
    // V8's JSON.parse has no recursion limit, but JSON.stringify does: a body nested a few
    // thousand levels deep parses fine and overflows the stack when serialised again. Validity
    // is all that is checked here; the original text is spliced in as it came.
    try {
      JSON.parse(body);
      return body;
    } catch {
      return JSON.stringify(body);
    }
  }
  return JSON.stringify(body);
}

/** `{…}` + `,"key":value` before its closing brace: appends a member to serialised JSON. */
function withMember(objectJson: string, key: string, valueJson: string): string {
  return `${objectJson.slice(0, -1)},${JSON.stringify(key)}:${valueJson}}`;
}

/**
 * The envelope `{eventId, callbackId, deliveryId, receivedAt, request:{method, path, query,
 * headers, body[, bodyEncoding]}}` as JSON text, built without re-serialising the parsed body.
 */
export function defaultPayloadText(job: DeliveryJob): string {
  const { method, path, query, headers, bodyEncoding } = job.request;
  let request = withMember(JSON.stringify({ method, path, query, headers }), "body", bodyJson(job));
  if (bodyEncoding === "base64") request = withMember(request, "bodyEncoding", JSON.stringify(bodyEncoding));
  const envelope = { eventId: job.eventId, callbackId: job.callbackId, deliveryId: job.deliveryId, receivedAt: job.request.receivedAt };
  return withMember(JSON.stringify(envelope), "request", request);
}

/** The envelope as a value (for callers that inspect it); serialise with defaultPayloadText. */
export function defaultEnvelope(job: DeliveryJob): Record<string, unknown> {
  return JSON.parse(defaultPayloadText(job)) as Record<string, unknown>;
}
