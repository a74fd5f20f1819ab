// Queries on deliveries and their attempts.
import type { Kysely } from "kysely";
import type { DB, DeliveryAttemptRow, DeliveryRow, DeliveryStatus, DeliveryUpdate, NewDeliveryRow } from "@/lib/db/schema";

type Executor = Kysely<DB>;

export const terminalStatuses: readonly DeliveryStatus[] = ["succeeded", "failed", "dead", "skipped"];

/** Inserts the delivery if this is its first attempt, and returns the current row either way. */
export async function ensureDelivery(db: Executor, row: NewDeliveryRow): Promise<DeliveryRow> {
  await db
    .insertInto("deliveries")
    .values(row)
    .onConflict((conflict) => conflict.column("id").doNothing())
    .execute();
  return db.selectFrom("deliveries").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
}

export async function findDeliveryById(db: Executor, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listAttempts(db: Executor, deliveryId: string): Promise<DeliveryAttemptRow[]> {
  return db.selectFrom("delivery_attempts").selectAll().where("delivery_id", "=", deliveryId).orderBy("attempt").orderBy("started_at").execute();
}

export interface DeliveryProgress {
  status: DeliveryStatus;
  attempts: number;
  target: string | null;
  lastError: string | null;
  lastStatusCode: number | null;
  lastDurationMs: number | null;
  qstashMessageId: string | null;
}

/** The columns an attempt changes on its delivery. */
export function progressColumns(progress: DeliveryProgress, now = new Date()): DeliveryUpdate {
  return {
    status: progress.status,
    attempts: progress.attempts,
    target: progress.target,
    last_error: progress.lastError,
    last_status_code: progress.lastStatusCode,
    last_duration_ms: progress.lastDurationMs,
    qstash_message_id: progress.qstashMessageId,
    updated_at: now,
    completed_at: terminalStatuses.includes(progress.status) ? now : null,
  };
}

/** Only a delivery still in flight can die: a recorded success or permanent failure stays. */
export async function markDeliveryDead(db: Executor, id: string, lastError: string): Promise<boolean> {
  const now = new Date();
  const result = await db
    .updateTable("deliveries")
    .set({ status: "dead", last_error: lastError, updated_at: now, completed_at: now })
    .where("id", "=", id)
    .where("status", "=", "queued")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertDeliveriesIfAbsent(db: Executor, rows: NewDeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("deliveries")
    .values(rows)
    .onConflict((conflict) => conflict.column("id").doNothing())
    .execute();
}

export interface ReplayCandidateFilter {
  destinationId: string;
  status: DeliveryStatus;
  /** Inclusive lower id bound (from a time). */
  fromId: string;
  /** Exclusive upper id bound (from a time). */
  toId: string;
  limit: number;
}

/** Oldest first, skipping deliveries already replayed, so repeating a bulk replay resends nothing twice. */
export async function listReplayCandidates(db: Executor, filter: ReplayCandidateFilter): Promise<DeliveryRow[]> {
  return db
    .selectFrom("deliveries as d")
    .selectAll("d")
    .where("d.destination_id", "=", filter.destinationId)
    .where("d.status", "=", filter.status)
    .where("d.id", ">=", filter.fromId)
    .where("d.id", "<", filter.toId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("deliveries as r").select("r.id").whereRef("r.replay_of", "=", "d.id"))))
    .orderBy("d.id")
    .limit(filter.limit)
    .execute();
}
