// Where a destination's deliveries wait in QStash, and the calls that hold or release them. A
// destination without ordering uses the flow-control key `sy-dest-<id>` (parallelism, rate);
// a FIFO destination uses queues: `sy-dest-<id>`, and with an ordering key `sy-dest-<id>.<partition>`,
// the partition chosen by a hash of the key's value, so a sender cannot create a queue per value
// (the plan caps queues). Queues named `sy-dest-<id>.<hash>` (one per key value, before partitions)
// may still hold deliveries: everything under `sy-dest-<id>.` is the destination's. Pausing touches
// the key and the queues (a destination may have switched ordering with deliveries held).
import { createHash } from "node:crypto";
import { QstashError } from "@upstash/qstash";
import { getQstashClient } from "@/lib/qstash";
import { AppError } from "@/lib/errors";
import { callQstash, queueUpsertCall } from "@/lib/qstash/call-qstash";

/** callQstash, with an answer that names the queue or flow-control call rather than a publish. */
async function controlQstash<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await callQstash(what, run);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const message =
      error.code === "queue_unavailable"
        ? `QStash did not confirm the ${what}; repeat the request (it is safe to repeat)`
        : `QStash refused the ${what} because of a configuration problem; the operator has been told`;
    throw new AppError(error.code, message, { headers: error.headers, cause: error });
  }
}

/** What one published message carries besides the job: its lane and retry schedule. */
export interface PublishLane {
  flowControl?: { key: string; parallelism: number; rate?: number; period?: number };
  queueName?: string;
  retries?: number;
  /** An `Upstash-Retry-Delay` expression; absent: QStash's default backoff. */
  retryDelay?: string;
  /** Replaces the delivery id as the deduplication id (a held delivery published again). */
  deduplicationId?: string;
}

export function laneKeyOf(destinationId: string): string {
  return `sy-dest-${destinationId}`;
}

/**
 * The destination-wide queue, or the partition a rendered key value falls in: the same value
 * always lands in the same one of `partitions` queues, so each value keeps its order.
 */
export function queueNameOf(destinationId: string, key?: { value: string; partitions: number }): string {
  const base = laneKeyOf(destinationId);
  if (!key?.value) return base;
  const partition = createHash("sha256").update(key.value).digest().readUInt32BE(0) % key.partitions;
  return `${base}.${partition}`;
}

export interface LaneOwner {
  id: string;
  ordering: "none" | "fifo";
}

function isNotFound(error: unknown): boolean {
  return error instanceof QstashError && error.status === 404;
}

type QueueInfo = { name: string; lag: number };

async function listQueues(): Promise<QueueInfo[]> {
  return controlQstash("queue list", () => getQstashClient().queue().list());
}

function queuesOf(destinationId: string, queues: readonly QueueInfo[]): QueueInfo[] {
  const base = laneKeyOf(destinationId);
  return queues.filter((queue) => queue.name === base || queue.name.startsWith(`${base}.`));
}

const ownersOf = (owners: LaneOwner | readonly LaneOwner[]): readonly LaneOwner[] => ("id" in owners ? [owners] : owners);

/** Holds everything the destinations have in QStash and whatever arrives later. Idempotent. */
export async function pauseLanes(owners: LaneOwner | readonly LaneOwner[]): Promise<void> {
  const client = getQstashClient();
  const list = ownersOf(owners);
  for (const owner of list) {
    const key = laneKeyOf(owner.id);
    await controlQstash("flow-control pause", () => client.flowControl.pause(key));
    // The destination-wide queue exists paused from now on, so an enqueue cannot start it.
    if (owner.ordering === "fifo") await holdQueue(queueNameOf(owner.id));
  }
  // One listing for all of them: a callback's pause covers up to 100 destinations.
  const queues = await listQueues();
  for (const owner of list) {
    for (const queue of queuesOf(owner.id, queues)) await controlQstash("queue pause", () => client.queue({ queueName: queue.name }).pause());
  }
}

/** Releases the destinations' keys and queues: each queue delivers what waited in order (a key's wait list has no documented order). */
export async function resumeLanes(owners: LaneOwner | readonly LaneOwner[]): Promise<void> {
  const client = getQstashClient();
  const list = ownersOf(owners);
  for (const owner of list) await controlQstash("flow-control resume", () => client.flowControl.resume(laneKeyOf(owner.id)));
  const queues = list.length > 0 ? await listQueues() : [];
  for (const owner of list) {
    for (const queue of queuesOf(owner.id, queues)) await controlQstash("queue resume", () => client.queue({ queueName: queue.name }).resume());
  }
}

/** Creates (or keeps) a queue paused, one at a time, before anything is enqueued to it. */
export async function holdQueue(queueName: string): Promise<void> {
  await controlQstash(queueUpsertCall, () => getQstashClient().queue({ queueName }).upsert({ parallelism: 1, paused: true }));
}

/** Deliveries waiting in the destination's key and queues. */
export async function heldCountOf(owner: LaneOwner): Promise<number> {
  const client = getQstashClient();
  const waiting = await controlQstash("flow-control read", async () => {
    try {
      return (await client.flowControl.get(laneKeyOf(owner.id))).waitListSize;
    } catch (error) {
      // A key QStash has never seen holds nothing.
      if (isNotFound(error)) return 0;
      throw error;
    }
  });
  const queued = queuesOf(owner.id, await listQueues()).reduce((sum, queue) => sum + queue.lag, 0);
  return waiting + queued;
}

/** Makes sure one lane holds what is published into it next (its queue, or its flow-control key). */
export async function holdLane(lane: PublishLane): Promise<void> {
  if (lane.queueName) return holdQueue(lane.queueName);
  const key = lane.flowControl?.key;
  if (key) await controlQstash("flow-control pause", () => getQstashClient().flowControl.pause(key));
}

/** Undoes holdLane when the hold it was meant for ended meanwhile. */
export async function releaseLane(lane: PublishLane): Promise<void> {
  const client = getQstashClient();
  const { queueName } = lane;
  if (queueName) return controlQstash("queue resume", () => client.queue({ queueName }).resume());
  const key = lane.flowControl?.key;
  if (key) await controlQstash("flow-control resume", () => client.flowControl.resume(key));
}
