// A held keyed FIFO destination's partition queue may not exist yet, and QStash creates a queue
// running on its first enqueue. So whatever publishes into a held destination's lane (a trigger,
// a replay) creates the queue paused first. The caller read "paused" before a resume may have
// cleared the row and resumed every queue it listed, which the new queue was not yet among: the
// rows are read again after the hold, and a queue whose hold ended meanwhile is released, as the
// delivery function's safety net does (lib/deliveries/hold-delivery.ts).
import type { Database } from "@/lib/db";
import { listHeldDestinationIds } from "@/lib/db/queries/destinations";
import { log } from "@/lib/log";
import { holdQueue, queueNameOf, releaseLane, type PublishLane } from "@/lib/qstash/lanes";

/** One lane about to be published into, for a destination the caller read as paused. */
export interface HeldLane {
  destinationId: string;
  lane: PublishLane | undefined;
}

/**
 * Creates (or keeps) the partition queues of `held` paused, then releases those whose destination
 * is no longer held. Postgres is read only when there is such a queue. The destination-wide queue
 * is left alone: the pause itself created it paused, and its resume lists it.
 */
export async function holdPartitionsFirst(db: () => Database, held: readonly HeldLane[]): Promise<void> {
  const owners = new Map<string, string>();
  for (const { destinationId, lane } of held) {
    if (lane?.queueName && lane.queueName !== queueNameOf(destinationId)) owners.set(lane.queueName, destinationId);
  }
  if (owners.size === 0) return;
  for (const queueName of owners.keys()) await holdQueue(queueName);
  let stillHeld: Set<string>;
  try {
    stillHeld = new Set(await listHeldDestinationIds(db(), [...new Set(owners.values())]));
  } catch (error) {
    // Unknown: the queues stay held (as before this check), and the next pause and resume lists them.
    log.warn("Could not read whether held destinations are still paused; their new partition queues stay held", { destinationIds: [...new Set(owners.values())], error });
    return;
  }
  for (const [queueName, destinationId] of owners) {
    if (!stillHeld.has(destinationId)) await releaseLane({ queueName });
  }
}
