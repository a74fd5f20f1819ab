// The safety net of a pause (issue #16): a delivery that reaches the function while its
// destination or callback is paused (published between reading the config and pausing QStash, or
// a retry already scheduled) is not sent. It goes back into its lane, held in QStash first, under
// a deduplication id of its own, and QStash is told it is done: the delivery stays queued, with
// no attempt recorded. Disabled still means skipped (load-destination.ts decides that first).
import type { Database } from "@/lib/db";
import { ensureEventAndDelivery, findDeliveryContext, type DestinationForDelivery } from "@/lib/db/queries/delivery-path";
import { findDestinationById } from "@/lib/db/queries/destinations";
import { laneOfRow } from "@/lib/destinations/lanes/delivery-lane";
import { holdLane, releaseLane } from "@/lib/qstash/lanes";
import { doneAnswer, type QstashAnswer } from "@/lib/qstash/answer";
import type { QstashInput } from "@/lib/qstash/with-qstash";
import type { DeliveryJob } from "@/lib/deliveries/job";
import type { LoadResult } from "@/lib/deliveries/load-destination";
import { eventRowOf, queuedDeliveryRowOf } from "@/lib/deliveries/job-rows";
import { publishJobs } from "@/lib/deliveries/publish-jobs";

/** The callback default, for jobs queued before they carried their retries. */
const fallbackRetries = 5;

/** null: not held, carry on with the attempt. */
export async function reholdIfPaused(db: Database, job: DeliveryJob, row: DestinationForDelivery | null, loaded: LoadResult, input: QstashInput): Promise<QstashAnswer | null> {
  if (!row || loaded.status === "skip" || !(row.paused || row.callback_paused)) return null;
  const destination = await findDestinationById(db, row.id);
  const lane = laneOfRow(destination)(job);
  if (!lane) return null;
  await holdLane(lane);
  const deduplicationId = `${job.deliveryId}.held.${input.messageId ?? input.retried}`;
  const [published] = await publishJobs([job], job.retries ?? fallbackRetries, () => ({ ...lane, deduplicationId }));
  await ensureEventAndDelivery(db, eventRowOf(job), queuedDeliveryRowOf(job, published?.messageId ?? null));
  // A resume may have cleared the row and resumed QStash before holdLane paused it again.
  const { destination: now } = await findDeliveryContext(db, job.deliveryId, job.destinationId);
  if (now && !now.paused && !now.callback_paused) await releaseLane(lane);
  return doneAnswer({ status: "queued", held: true });
}
