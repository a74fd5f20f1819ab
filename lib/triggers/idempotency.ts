// Idempotent triggers: the first request with a given key claims it in Redis; repeats within
// 24 h get the first answer back and publish nothing. A repeat after a failed publish publishes
// again under the ids planned for the first attempt, so when QStash did take the first batch
// (only its answer was lost) its deduplication drops the copies and the delivery rows stay one.
//
// One record per key, written only if the key is free, in the same Redis script (one round
// trip) as the callback's rate limit, which hands back the record already there: the state
// (`pending` while one request publishes, `released` after a failed publish, `done` with the
// answer), the planned event and delivery ids, and the SHA-256 of the body, so the same key with
// another body is refused rather than answered with someone else's result. A `pending` record
// holds a 60 s lease: a publisher that died frees the key when it runs out. The trigger writes
// `done` after its 202 has gone out; a repeat arriving in between waits briefly for it. Taking
// over a released or lapsed record needs a compare-and-set the store lacks, so the takeover
// first wins a SET NX on a lock named after the record's attempt number; the record then moves
// to the next attempt, so each lock is won once.
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import type { ClaimResult, ClaimWrite } from "@/lib/ratelimit";
import { getKeyValueStore, type KeyValueStore } from "@/lib/redis";
import { clearWarnOnce, warnOnce } from "@/lib/log";

const idempotencyWindowSeconds = 24 * 60 * 60;
/** A claim whose publish never finished (the function died) frees itself after this long. */
const pendingSeconds = 60;

const plannedSchema = z.object({ eventId: z.string(), deliveries: z.record(z.string(), z.string()) });

/** The ids a trigger publishes under: one event, one delivery per destination id. */
export type PlannedIds = z.infer<typeof plannedSchema>;

const recordSchema = z.object({
  state: z.enum(["pending", "released", "done"]),
  attempt: z.number().int().min(1),
  leaseUntilMs: z.number(),
  ids: plannedSchema,
  bodyHash: z.string().optional(),
  body: z.unknown().optional(),
});
type ClaimRecord = z.infer<typeof recordSchema>;

// Records written by the previous version (two keys, no ids in the claim).
const legacySchema = z.union([z.object({ state: z.literal("pending") }), z.object({ state: z.literal("done"), body: z.unknown() })]);

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

export interface ClaimOptions {
  /** `bodyHashOf(body)`: a repeat with another body is refused. */
  bodyHash?: string;
  /** Keeps keys of different origins apart, e.g. "github" for X-GitHub-Delivery ids. */
  scope?: string;
  /** The header (or field) the key came from, named in the refusal. */
  source?: string;
}

export function bodyHashOf(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("base64url");
}

function keyFor(callbackId: string, idempotencyKey: string, scope: string | undefined): string {
  const digest = createHash("sha256").update(idempotencyKey).digest("base64url");
  return scope ? `sy:idem:${callbackId}:${scope}:${digest}` : `sy:idem:${callbackId}:${digest}`;
}

function mintIds(destinationIds: string[]): PlannedIds {
  return { eventId: uuidv7(), deliveries: Object.fromEntries(destinationIds.map((id) => [id, uuidv7()])) };
}

/** The planned ids, plus a fresh one for any destination added since (kept for later retries). */
function withDestinations(ids: PlannedIds, destinationIds: string[]): PlannedIds {
  const missing = destinationIds.filter((id) => !Object.hasOwn(ids.deliveries, id));
  return missing.length === 0 ? ids : { eventId: ids.eventId, deliveries: { ...mintIds(missing).deliveries, ...ids.deliveries } };
}

const leaseFromNow = () => Date.now() + pendingSeconds * 1000;

function holding(store: KeyValueStore, key: string, record: ClaimRecord): IdempotencyClaim {
  const write = (next: Partial<ClaimRecord>) => store.set(key, { ...record, ...next }, { exSeconds: idempotencyWindowSeconds }).then(() => undefined);
  return {
    kind: "new",
    ids: record.ids,
    complete: (body) => write({ state: "done", body }),
    release: () => write({ state: "released" }),
  };
}

const stillProcessing = () => new AppError("conflict", "A request with this idempotency key is still being processed; retry shortly", { headers: { "retry-after": "1" } });

function reused(options: ClaimOptions): AppError {
  const source = options.source ?? "idempotency key";
  return new AppError("idempotency_key_reused", `${source}: this key was already used for a request with a different body; send a new key`, {
    field: options.source,
  });
}

/** A released or lapsed record: the winner of this attempt's lock publishes next. */
async function takeOver(store: KeyValueStore, key: string, record: ClaimRecord, destinationIds: string[]): Promise<IdempotencyClaim> {
  if (!(await store.set(`${key}:takeover:${record.attempt}`, 1, { nx: true, exSeconds: pendingSeconds }))) throw stillProcessing();
  const next: ClaimRecord = {
    state: "pending",
    attempt: record.attempt + 1,
    leaseUntilMs: leaseFromNow(),
    ids: withDestinations(record.ids, destinationIds),
    ...(record.bodyHash ? { bodyHash: record.bodyHash } : {}),
  };
  await store.set(key, next, { exSeconds: idempotencyWindowSeconds });
  return holding(store, key, next);
}

type Existing = { kind: "replay"; body: unknown } | { kind: "record"; record: ClaimRecord };

function readExisting(stored: unknown, options: ClaimOptions): Existing {
  const parsed = recordSchema.safeParse(stored);
  if (!parsed.success) {
    const legacy = legacySchema.safeParse(stored);
    if (legacy.success && legacy.data.state === "done") return { kind: "replay", body: legacy.data.body };
    throw stillProcessing();
  }
  const record = parsed.data;
  if (options.bodyHash && record.bodyHash && options.bodyHash !== record.bodyHash) throw reused(options);
  return record.state === "done" ? { kind: "replay", body: record.body } : { kind: "record", record };
}

const isLive = (existing: Existing) => existing.kind === "record" && existing.record.state === "pending" && existing.record.leaseUntilMs > Date.now();

/**
 * The first request records its answer just after sending it: a repeat that its sender fired
 * the moment the 202 arrived may find the record still pending, so it looks again a few times
 * (100 ms in all) before answering 409.
 */
const settleWaitsMs = [10, 30, 60];

async function resolveExisting(store: KeyValueStore, key: string, stored: unknown, destinationIds: string[], options: ClaimOptions): Promise<IdempotencyClaim> {
  let existing = readExisting(stored, options);
  for (const waitMs of settleWaitsMs) {
    if (!isLive(existing)) break;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    existing = readExisting(await store.get(key), options);
  }
  if (existing.kind === "replay") return existing;
  if (isLive(existing)) throw stillProcessing();
  return takeOver(store, key, existing.record, destinationIds);
}

/** What a trigger asks of the store: its key, and the record that claims it if nothing is there. */
export interface PlannedClaim {
  key: string;
  record: ClaimRecord;
  destinationIds: string[];
  options: ClaimOptions;
}

/** `destinationIds` are the destinations this trigger publishes to. */
export function planClaim(callbackId: string, idempotencyKey: string, destinationIds: string[], options: ClaimOptions = {}): PlannedClaim {
  const record: ClaimRecord = {
    state: "pending",
    attempt: 1,
    leaseUntilMs: leaseFromNow(),
    ids: mintIds(destinationIds),
    ...(options.bodyHash ? { bodyHash: options.bodyHash } : {}),
  };
  return { key: keyFor(callbackId, idempotencyKey, options.scope), record, destinationIds, options };
}

/** The claim write for admitTrigger, which makes it with the rate limit in one round trip. */
export const claimWriteOf = (plan: PlannedClaim): ClaimWrite => ({ key: plan.key, value: plan.record, exSeconds: idempotencyWindowSeconds });

/** What the store answered to the claim write, as the trigger sees it. */
export async function settleClaim(plan: PlannedClaim, result: ClaimResult): Promise<IdempotencyClaim> {
  const store = getKeyValueStore();
  if (result.status === "unreachable" || result.status === "skipped") {
    if (result.status === "unreachable") warnOnce("redis-idempotency", "Redis unreachable: idempotency keys are not enforced");
    return { kind: "unavailable" };
  }
  clearWarnOnce("redis-idempotency");
  if (result.status === "written") return holding(store, plan.key, plan.record);
  try {
    return await resolveExisting(store, plan.key, result.existing, plan.destinationIds, plan.options);
  } catch (error) {
    if (error instanceof AppError) throw error;
    warnOnce("redis-idempotency", "Redis unreachable: idempotency keys are not enforced", { error });
    return { kind: "unavailable" };
  }
}
