// Replays: a new delivery (new id, replay_of = the original) of the same event to the same
// destination, published through QStash like any other.
import type { Database } from "@/lib/db";
import type { EventRow } from "@/lib/db/schema";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { ensureDelivery, findDeliveryById } from "@/lib/db/queries/deliveries";
import { findEventById } from "@/lib/db/queries/events";
import { AppError, notFound } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { publishJobs } from "@/lib/deliveries/publish-jobs";
import type { CapturedRequest, DeliveryJob } from "@/lib/deliveries/job";

export function eventToCapturedRequest(event: EventRow): CapturedRequest {
  return {
    method: event.method,
    path: event.path,
    query: event.query as CapturedRequest["query"],
    headers: event.headers as CapturedRequest["headers"],
    body: event.body,
    bodyEncoding: event.body_encoding,
    receivedAt: event.received_at.toISOString(),
  };
}

export async function replayDelivery(db: Database, id: string): Promise<{ deliveryId: string; messageId: string; replayOf: string }> {
  const original = await findDeliveryById(db, id);
  if (!original) throw notFound("Delivery");
  const [event, callback] = await Promise.all([findEventById(db, original.event_id), findCallbackById(db, original.callback_id)]);
  if (!event) throw new AppError("conflict", "The event of this delivery is no longer retained; it cannot be replayed");
  if (!callback) throw new AppError("conflict", "The callback of this delivery was deleted; it cannot be replayed");
  const job: DeliveryJob = {
    v: 1,
    deliveryId: uuidv7(),
    eventId: event.id,
    callbackId: original.callback_id,
    destinationId: original.destination_id,
    kind: original.kind as DeliveryJob["kind"],
    request: eventToCapturedRequest(event),
    replayOf: original.id,
  };
  const [published] = await publishJobs([job], callback.retries);
  // Visible in the log at once; the delivery function finds the row already there.
  await ensureDelivery(db, {
    id: job.deliveryId,
    event_id: job.eventId,
    callback_id: job.callbackId,
    destination_id: job.destinationId,
    kind: job.kind,
    status: "queued",
    target: original.target,
    qstash_message_id: published?.messageId ?? null,
    replay_of: original.id,
  });
  return { deliveryId: job.deliveryId, messageId: published?.messageId ?? "", replayOf: original.id };
}
