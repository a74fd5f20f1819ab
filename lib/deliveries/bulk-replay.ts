// Bulk replay: a destination's dead (or failed) deliveries in a time range, replayed like single
// replays (new delivery, replay_of = the original) and published in QStash batches of at most
// 100 jobs. Bounded by `limit`; originals already replayed are skipped, so repeating a request
// (e.g. after the queue failed half-way) never sends one twice. An entry QStash refused is
// reported in `failed` and gets no row, so repeating the request replays it. With `filter`, only
// originals whose event matches are replayed (the same language and search as the delivery log).
import { z } from "zod";
import type { Database } from "@/lib/db";
import type { DeliveryRow } from "@/lib/db/schema";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { insertDeliveriesIfAbsent, listReplayCandidates } from "@/lib/db/queries/deliveries";
import { findDestinationById } from "@/lib/db/queries/destinations";
import { findEventsByIds } from "@/lib/db/queries/events";
import { AppError, notFound } from "@/lib/errors";
import { uuidv7Floor } from "@/lib/ids";
import { laneOfRow } from "@/lib/destinations/lanes/delivery-lane";
import { holdPartitionsFirst } from "@/lib/destinations/lanes/hold-first";
import { publishEachJob, type PublishOutcome } from "@/lib/deliveries/publish-jobs";
import { queueUnavailableError } from "@/lib/qstash/call-qstash";
import { replayJobFor, replayRowFor } from "@/lib/deliveries/replay-delivery";
import type { DeliveryJob } from "@/lib/deliveries/job";
import { searchDeliveries } from "@/lib/deliveries/search-deliveries";
import { filterSchema } from "@/lib/filters/filter-schema";

const maxBulkReplay = 1_000;
/** QStash batch calls carry at most this many jobs each. */
const replayBatchSize = 100;

export const bulkReplaySchema = z
  .object({
    status: z.enum(["dead", "failed"]).default("dead"),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    limit: z.number().int().min(1).max(maxBulkReplay).default(100),
    /** The filter language over each original's captured request: only matching ones are replayed. */
    filter: filterSchema.optional(),
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
  /** Only with `filter`: originals examined, and where to resume when the work cap stopped the search. */
  search?: { examined: number; cutShort: boolean; resumeFrom: string | null };
}

/** Originals a filtered bulk replay may examine: ten non-matching ones per replay it may send. */
const maxExaminedPerReplay = 10 * maxBulkReplay;

interface SelectedOriginals {
  originals: DeliveryRow[];
  search?: BulkReplayResult["search"];
}

async function selectOriginals(db: Database, destinationId: string, input: BulkReplayInput): Promise<SelectedOriginals> {
  const range = { destinationId, status: input.status, fromId: uuidv7Floor(new Date(input.from)) };
  if (!input.filter) return { originals: await listReplayCandidates(db, { ...range, toId: uuidv7Floor(new Date(input.to)), limit: input.limit }) };
  const found = await searchDeliveries(db, {
    ...range,
    belowId: uuidv7Floor(new Date(input.to)),
    notReplayed: true,
    ascending: true,
    filter: input.filter,
    limit: input.limit,
    maxExamined: maxExaminedPerReplay,
  });
  // Resuming at the millisecond of the last original examined re-reads at most that millisecond's.
  const resumeFrom = found.cutShortAt ? new Date(parseInt(found.cutShortAt.replace("-", "").slice(0, 12), 16)).toISOString() : null;
  return { originals: found.matches, search: { examined: found.examined, cutShort: resumeFrom !== null, resumeFrom } };
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
  return queueUnavailableError(`The delivery queue refused all ${failed.length} replays (${failed[0]?.error ?? "no reason given"}); repeat the request later`);
}

function partialFailure(done: number, total: number, cause: unknown): AppError {
  return queueUnavailableError(`The delivery queue failed after ${done} of ${total} replays were queued; repeat the request to replay the rest`, cause);
}

export async function replayDestination(db: Database, destinationId: string, input: BulkReplayInput): Promise<BulkReplayResult> {
  const destination = await findDestinationById(db, destinationId);
  if (!destination) throw notFound("Destination");
  if (!destination.enabled) {
    throw new AppError("conflict", "The destination is disabled: enable it first, or every replay would be skipped");
  }
  const callback = await findCallbackById(db, destination.callback_id);
  if (!callback) throw notFound("Callback");
  const { originals, search } = await selectOriginals(db, destinationId, input);
  const planned = await planReplays(db, originals);
  const lanes = laneOfRow(destination);
  // Into a held keyed FIFO destination's partitions like a trigger: each queue created paused first.
  if (destination.paused || callback.paused) {
    await holdPartitionsFirst(
      () => db,
      planned.map((item) => ({ destinationId, lane: lanes(item.job) })),
    );
  }
  const deliveryIds: string[] = [];
  const failed: BulkReplayResult["failed"] = [];
  for (let start = 0; start < planned.length; start += replayBatchSize) {
    const chunk = planned.slice(start, start + replayBatchSize);
    let outcome: PublishOutcome;
    try {
      outcome = await publishEachJob(
        chunk.map((item) => item.job),
        callback.retries,
        lanes,
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
  return { replayed: deliveryIds.length, deliveryIds, skipped: originals.length - planned.length, failed, ...(search ? { search } : {}) };
}
