// The rows a job stands for: its event (written once per trigger) and its delivery.
import type { NewDeliveryRow, NewEventRow } from "@/lib/db/schema";
import type { DeliveryJob } from "@/lib/deliveries/job";

/** Also written without a delivery when every destination's filter left the event out. */
export function eventRowOf(job: Pick<DeliveryJob, "eventId" | "callbackId" | "request" | "idempotencyKey" | "filtered" | "bodyIsJson">): NewEventRow {
  const { request } = job;
  return {
    id: job.eventId,
    callback_id: job.callbackId,
    received_at: request.receivedAt,
    method: request.method,
    path: request.path,
    query: JSON.stringify(request.query),
    headers: JSON.stringify(request.headers),
    body: request.body,
    body_encoding: request.bodyEncoding,
    body_bytes: request.bodyEncoding === "base64" ? Buffer.from(request.body, "base64").length : Buffer.byteLength(request.body),
    idempotency_key: job.idempotencyKey ?? null,
    filtered_destination_ids: JSON.stringify(job.filtered ?? []),
    // The text as is: Postgres parses it into jsonb, nothing here parses it again.
    body_json: job.bodyIsJson ? request.body : null,
  };
}

/** A delivery not attempted yet. */
export function queuedDeliveryRowOf(job: DeliveryJob, messageId: string | null, target: string | null = null): NewDeliveryRow {
  return {
    id: job.deliveryId,
    event_id: job.eventId,
    callback_id: job.callbackId,
    destination_id: job.destinationId,
    kind: job.kind,
    status: "queued",
    target,
    qstash_message_id: messageId,
    replay_of: job.replayOf ?? null,
  };
}
