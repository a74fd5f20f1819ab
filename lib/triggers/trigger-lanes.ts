// The trigger's side of issue #16: what the cached callback config knows of each destination's
// lane (ordering, rate, retry schedule, whether it is held), and the lane of each job published.
import { z } from "zod";
import type { CallbackRow, DestinationRow } from "@/lib/db/schema";
import { deliveryOptionsOf, rateLimitSchema } from "@/lib/destinations/lanes/delivery-options";
import { deliveryLaneOf, type LaneJob } from "@/lib/destinations/lanes/delivery-lane";
import { retryDelaySchema } from "@/lib/destinations/lanes/retry-schedule";
import { holdPartitionsFirst, type HeldLane } from "@/lib/destinations/lanes/hold-first";
import { getDb } from "@/lib/db";
import type { PublishLane } from "@/lib/qstash/lanes";

/** Defaults let entries cached before these fields existed parse as before. */
export const triggerLaneFields = {
  ordering: z.enum(["none", "fifo"]).default("none"),
  orderingKey: z.string().nullable().default(null),
  /** Null (and entries cached before it): the default count. */
  orderingPartitions: z.number().int().min(1).nullable().default(null),
  rateLimit: rateLimitSchema.nullable().default(null),
  retries: z.number().int().nullable().default(null),
  retryDelay: retryDelaySchema.nullable().default(null),
  /** Its own pause or its callback's. */
  paused: z.boolean().default(false),
};

type TriggerLaneFields = { [K in keyof typeof triggerLaneFields]: z.infer<(typeof triggerLaneFields)[K]> };

export function triggerLaneFieldsOf(destination: DestinationRow, callback: Pick<CallbackRow, "paused">): TriggerLaneFields {
  const { ordering, orderingKey, orderingPartitions, rateLimit, retries, retryDelay } = deliveryOptionsOf(destination);
  return { ordering, orderingKey, orderingPartitions, rateLimit, retries, retryDelay, paused: destination.paused || callback.paused };
}

interface LaneDestination extends TriggerLaneFields {
  id: string;
  maxConcurrency: number;
}

/**
 * Each job's lane. A held FIFO destination's partition queue may not exist yet: it is created
 * paused before anything is enqueued, or QStash would create it running; and released again if a
 * resume came between reading the cached config and creating it (the only Postgres read here).
 */
export async function lanesForTrigger(config: { destinations: LaneDestination[] }, jobs: readonly LaneJob[]): Promise<(job: LaneJob) => PublishLane | undefined> {
  const byId = new Map(config.destinations.map((destination) => [destination.id, destination]));
  const lanes = new Map<string, PublishLane>();
  const held: HeldLane[] = [];
  for (const job of jobs) {
    const destination = byId.get(job.destinationId);
    if (!destination) continue;
    const lane = deliveryLaneOf(destination, job);
    lanes.set(job.deliveryId, lane);
    if (destination.paused) held.push({ destinationId: destination.id, lane });
  }
  await holdPartitionsFirst(getDb, held);
  return (job) => lanes.get(job.deliveryId);
}
