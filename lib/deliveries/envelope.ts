// The default message when a destination sets no payload template.
import type { DeliveryJob } from "@/lib/deliveries/job";

function bodyValue(job: DeliveryJob): unknown {
  const { body, bodyEncoding, headers } = job.request;
  if (bodyEncoding === "base64" || body === "") return body;
  if ((headers["content-type"] ?? "").includes("json") || /^\s*[[{]/.test(body)) {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return body;
    }
  }
  return body;
}

export function defaultEnvelope(job: DeliveryJob): Record<string, unknown> {
  const { method, path, query, headers, bodyEncoding } = job.request;
  return {
    eventId: job.eventId,
    callbackId: job.callbackId,
    deliveryId: job.deliveryId,
    receivedAt: job.request.receivedAt,
    request: {
      method,
      path,
      query,
      headers,
      body: bodyValue(job),
      ...(bodyEncoding === "base64" ? { bodyEncoding } : {}),
    },
  };
}
