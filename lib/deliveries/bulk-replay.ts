// Bulk replay: a destination's dead (or failed) deliveries in a time range, replayed like single
// replays (new delivery, replay_of = the original) and published in QStash batches of at most
// 100 jobs. Bounded by `limit`; originals already replayed are skipped, so repeating a request
// (e.g. after the queue failed half-way) never sends one twice. An entry QStash refused is
// reported in `failed` and gets no row, so repeating the request replays it.
import { z } from "zod";
import type { Database } from "@/lib/db";
import type { DeliveryRow } from "@/lib/db/schema";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { insertDeliveriesIfAbsent, listReplayCandidates } from "@/lib/db/queries/deliveries";
import { findDestinationById } from "@/lib/db/queries/destinations";
import { findEventsByIds } from "@/lib/db/queries/events";
import { AppError, notFound } from "@/lib/errors";
import { uuidv7Floor } from "@/lib/ids";
import { publishEachJob, queueRetryAfterSeconds, type PublishOutcome } from "@/lib/deliveries/publish-jobs";
import { replayJobFor, replayRowFor } from "@/lib/deliveries/replay-delivery";
import type { DeliveryJob } from "@/lib/deliveries/job";

const maxBulkReplay = 1_000;
/** QStash batch calls carry at most this many jobs each. */
const replayBatchSize = 100;

export const bulkReplaySchema = z
  .object({
    status: z.enum(["dead", "failed"]).default("dead"),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    limit: z.number().int().min(1).max(maxBulkReplay).default(100),
  })
  .strict()
  .refine((input) => Date.parse(input.from) < Date.parse(input.to), { message: "must be later than from", path: ["to"] });

export type BulkReplayInput = z.infer<typeof bulkReplaySchema>;

export interface BulkReplayResult {
  replayed: number;
  /** The new deliveries, oldest original first. */
  deliveryIds: string[];
  /** Originals that matched but whose event is no longer retained. */
  skipped: number;
  /** Replays the queue refused: nothing was queued for them. */
  failed: Array<{ replayOf: string; deliveryId: string; error: string }>;
}

interface PlannedReplay {
  job: DeliveryJob;
  original: DeliveryRow;
}

async function planReplays(db: Database, originals: DeliveryRow[]): Promise<PlannedReplay[]> {
  const events = await findEventsByIds(db, [...new Set(originals.map((row) => row.event_id))]);
  const byId = new Map(events.map((event) => [event.id, event]));
  return originals.flatMap((original) => {
    const event = byId.get(original.event_id);
    return event ? [{ job: replayJobFor(original, event), original }] : [];
  });
}

function noneQueued(failed: BulkReplayResult["failed"]): AppError {
  return new AppError("queue_unavailable", `The delivery queue refused all ${failed.length} replays (${failed[0]?.error ?? "no reason given"}); repeat the request later`, {
    headers: { "retry-after": String(queueRetryAfterSeconds) },
  });
}

function partialFailure(done: number, total: number, cause: unknown): AppError {
  return new AppError("queue_unavailable", `The delivery queue failed after ${done} of ${total} replays were queued; repeat the request to replay the rest`, {
    headers: { "retry-after": String(queueRetryAfterSeconds) },
    cause,
  });
}

export async function replayDestination(db: Database, destinationId: string, input: BulkReplayInput): Promise<BulkReplayResult> {
  const destination = await findDestinationById(db, destinationId);
  if (!destination) throw notFound("Destination");
  if (!destination.enabled) {
    throw new AppError("conflict", "The destination is disabled: enable it first, or every replay would be skipped");
  }
  const callback = await findCallbackById(db, destination.callback_id);
  if (!callback) throw notFound("Callback");
  const originals = await listReplayCandidates(db, {
    destinationId,
    status: input.status,
    fromId: uuidv7Floor(new Date(input.from)),
    toId: uuidv7Floor(new Date(input.to)),
    limit: input.limit,
  });
  const planned = await planReplays(db, originals);
  const deliveryIds: string[] = [];
  const failed: BulkReplayResult["failed"] = [];
  for (let start = 0; start < planned.length; start += replayBatchSize) {
    const chunk = planned.slice(start, start + replayBatchSize);
    let outcome: PublishOutcome;
    try {
      outcome = await publishEachJob(
        chunk.map((item) => item.job),
        callback.retries,
        () => destination.max_concurrency,
      );
    } catch (error) {
      if (deliveryIds.length === 0) throw error;
      throw partialFailure(deliveryIds.length, planned.length, error);
    }
    const messageIds = new Map(outcome.published.map((item) => [item.id, item.messageId]));
    const queued = chunk.filter((item) => messageIds.has(item.job.deliveryId));
    await insertDeliveriesIfAbsent(
      db,
      queued.map((item) => replayRowFor(item.job, item.original, messageIds.get(item.job.deliveryId) ?? null)),
    );
    deliveryIds.push(...queued.map((item) => item.job.deliveryId));
    const originalOf = new Map(chunk.map((item) => [item.job.deliveryId, item.original.id]));
    failed.push(...outcome.failed.map((item) => ({ replayOf: originalOf.get(item.deliveryId) ?? "", deliveryId: item.deliveryId, error: item.error })));
  }
  if (deliveryIds.length === 0 && failed.length > 0) throw noneQueued(failed);
  return { replayed: deliveryIds.length, deliveryIds, skipped: originals.length - planned.length, failed };
}
