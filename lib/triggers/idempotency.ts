// Idempotent triggers: the first request with a given key claims it in Redis; repeats within
// 24 h get the first answer back and publish nothing. A repeat after a failed publish publishes
// again under the ids planned for the first attempt, so when QStash did take the first batch
// (only its answer was lost) its deduplication drops the copies and the delivery rows stay one.
//
// Two keys per idempotency key. The claim is the mutual exclusion: `pending` (SET NX, 60 s) while
// one request publishes, then `done` with the answer (24 h); a failed publish deletes it so the
// sender's retry can claim again. The plan holds the event and delivery ids (24 h); it is written
// before publishing and outlives a failed or crashed attempt. They are separate because a lone
// record moving from "failed" back to "pending" would need a compare-and-set the store lacks.
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { getKeyValueStore, type KeyValueStore } from "@/lib/redis";
import { clearWarnOnce, warnOnce } from "@/lib/log";

export const idempotencyWindowSeconds = 24 * 60 * 60;
/** A claim whose publish never finished (the function died) frees itself after this long. */
const pendingSeconds = 60;

// Extra fields are dropped: a pending claim is only ever a lock, whoever wrote it.
const storedSchema = z.union([
  z.object({ state: z.literal("pending") }),
  z.object({ state: z.literal("done"), body: z.unknown() }),
]);

const plannedSchema = z.object({ eventId: z.string(), deliveries: z.record(z.string(), z.string()) });

/** The ids a trigger publishes under: one event, one delivery per destination id. */
export type PlannedIds = z.infer<typeof plannedSchema>;

export type IdempotencyClaim =
  | {
      kind: "new";
      /** Publish under these: the first attempt's ids when this is a retry. */
      ids: PlannedIds;
      /** The publish succeeded: repeats get `body` back. */
      complete(body: unknown): Promise<void>;
      /** The publish failed: a retry may claim again (and reuses `ids`). */
      release(): Promise<void>;
    }
  | { kind: "replay"; body: unknown }
  | { kind: "unavailable" };

function keysFor(callbackId: string, idempotencyKey: string): { claim: string; plan: string } {
  const digest = createHash("sha256").update(idempotencyKey).digest("base64url");
  return { claim: `sy:idem:${callbackId}:${digest}`, plan: `sy:idem-ids:${callbackId}:${digest}` };
}

function mintIds(destinationIds: string[]): PlannedIds {
  const eventId = uuidv7();
  return { eventId, deliveries: Object.fromEntries(destinationIds.map((id) => [id, uuidv7()])) };
}

/**
 * Called only by the claim holder. Retries reuse the ids for 24 h from the first attempt, the
 * window a completed key is remembered for too. A destination added since the plan gets a fresh
 * id, written back (restarting the window) so that a further retry reuses it as well.
 */
async function planIds(store: KeyValueStore, key: string, destinationIds: string[]): Promise<PlannedIds> {
  const fresh = mintIds(destinationIds);
  if (await store.set(key, fresh, { nx: true, exSeconds: idempotencyWindowSeconds })) return fresh;
  const stored = plannedSchema.safeParse(await store.get(key));
  if (stored.success && destinationIds.every((id) => Object.hasOwn(stored.data.deliveries, id))) return stored.data;
  const plan = stored.success ? { eventId: stored.data.eventId, deliveries: { ...fresh.deliveries, ...stored.data.deliveries } } : fresh;
  await store.set(key, plan, { exSeconds: idempotencyWindowSeconds });
  return plan;
}

/**
 * `destinationIds` are the destinations this trigger publishes to. The plan expires before a
 * `done` claim does (it was written earlier with the same window), so success leaves it be.
 */
export async function claimIdempotencyKey(callbackId: string, idempotencyKey: string, destinationIds: string[]): Promise<IdempotencyClaim> {
  const store = getKeyValueStore();
  const keys = keysFor(callbackId, idempotencyKey);
  try {
    const claimed = await store.set(keys.claim, { state: "pending" }, { nx: true, exSeconds: pendingSeconds });
    clearWarnOnce("redis-idempotency");
    if (claimed) {
      return {
        kind: "new",
        ids: await planIds(store, keys.plan, destinationIds),
        complete: (body) => store.set(keys.claim, { state: "done", body }, { exSeconds: idempotencyWindowSeconds }).then(() => undefined),
        release: () => store.del(keys.claim),
      };
    }
    const existing = storedSchema.safeParse(await store.get(keys.claim));
    if (existing.success && existing.data.state === "done") return { kind: "replay", body: existing.data.body };
  } catch (error) {
    warnOnce("redis-idempotency", "Redis unreachable: idempotency keys are not enforced", { error });
    return { kind: "unavailable" };
  }
  throw new AppError("conflict", "A request with this idempotency key is still being processed; retry shortly", {
    headers: { "retry-after": "1" },
  });
}
