// Replays: a new delivery (new id, replay_of = the original) of the same event to the same
// destination, published through QStash like any other.
import type { Database } from "@/lib/db";
import type { DeliveryRow, EventRow, NewDeliveryRow } from "@/lib/db/schema";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { ensureDelivery, findDeliveryById } from "@/lib/db/queries/deliveries";
import { findEventById } from "@/lib/db/queries/events";
import { findDestinationById } from "@/lib/db/queries/destinations";
import { AppError, notFound } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { publishJobs } from "@/lib/deliveries/publish-jobs";
import { laneOfRow } from "@/lib/destinations/lanes/delivery-lane";
import { holdPartitionsFirst } from "@/lib/destinations/lanes/hold-first";
import type { CapturedRequest, DeliveryJob } from "@/lib/deliveries/job";
import { queuedDeliveryRowOf } from "@/lib/deliveries/job-rows";

function eventToCapturedRequest(event: EventRow): CapturedRequest {
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

/** The replay of `original`: a new delivery id, the same event, destination and callback. */
export function replayJobFor(original: DeliveryRow, event: EventRow): DeliveryJob {
  return {
    v: 1,
    deliveryId: uuidv7(),
    eventId: event.id,
    callbackId: original.callback_id,
    destinationId: original.destination_id,
    kind: original.kind as DeliveryJob["kind"],
    request: eventToCapturedRequest(event),
    replayOf: original.id,
  };
}

/** Written right after publishing so the replay is visible in the log at once. */
export function replayRowFor(job: DeliveryJob, original: DeliveryRow, messageId: string | null): NewDeliveryRow {
  return queuedDeliveryRowOf(job, messageId, original.target);
}

export async function replayDelivery(db: Database, id: string): Promise<{ deliveryId: string; messageId: string; replayOf: string }> {
  const original = await findDeliveryById(db, id);
  if (!original) throw notFound("Delivery");
  const [event, callback, destination] = await Promise.all([
    findEventById(db, original.event_id),
    findCallbackById(db, original.callback_id),
    findDestinationById(db, original.destination_id),
  ]);
  if (!event) throw new AppError("conflict", "The event of this delivery is no longer retained; it cannot be replayed");
  if (!callback) throw new AppError("conflict", "The callback of this delivery was deleted; it cannot be replayed");
  const job = replayJobFor(original, event);
  const lanes = laneOfRow(destination);
  // Into a held keyed FIFO destination's partition like a trigger: its queue created paused first.
  if (destination && (destination.paused || callback.paused)) await holdPartitionsFirst(() => db, [{ destinationId: destination.id, lane: lanes(job) }]);
  const [published] = await publishJobs([job], callback.retries, lanes);
  // Visible in the log at once; the delivery function finds the row already there.
  await ensureDelivery(db, replayRowFor(job, original, published?.messageId ?? null));
  return { deliveryId: job.deliveryId, messageId: published?.messageId ?? "", replayOf: original.id };
}
