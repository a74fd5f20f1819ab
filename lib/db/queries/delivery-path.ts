// The delivery function's statements, shaped for round trips and commits: every QStash call
// pays each one, so the common path reads once before sending and writes once after.
import type { Kysely } from "kysely";
import { jsonObjectFrom } from "kysely/helpers/postgres";
import type { DB, DeliveryRow, DestinationRow, NewDeliveryAttemptRow, NewDeliveryRow, NewEventRow } from "@/lib/db/schema";
import { progressColumns, type DeliveryProgress } from "@/lib/db/queries/deliveries";

type Executor = Kysely<DB>;

/**
 * Writes the event (first delivery of the trigger) and the delivery (first attempt) if absent
 * and returns the delivery as it now stands, in one statement. A row committed by another
 * transaction after this statement's snapshot (a replay written while QStash already delivers)
 * conflicts yet stays invisible to it: then a second read, with a fresh snapshot, finds it.
 */
export async function ensureEventAndDelivery(db: Executor, event: NewEventRow, delivery: NewDeliveryRow): Promise<DeliveryRow> {
  const row = await db
    .with("new_event", (qb) =>
      qb
        .insertInto("events")
        .values(event)
        .onConflict((conflict) => conflict.column("id").doNothing()),
    )
    .with("inserted", (qb) =>
      qb
        .insertInto("deliveries")
        .values(delivery)
        .onConflict((conflict) => conflict.column("id").doNothing())
        .returningAll(),
    )
    .selectFrom("inserted")
    .selectAll()
    .unionAll((qb) =>
      qb
        .selectFrom("deliveries")
        .selectAll()
        .where("id", "=", delivery.id)
        .where((eb) => eb.not(eb.exists(eb.selectFrom("inserted").select("inserted.id")))),
    )
    .executeTakeFirst();
  if (row) return row;
  return db.selectFrom("deliveries").selectAll().where("id", "=", delivery.id).executeTakeFirstOrThrow();
}

/** The event of a trigger that published nothing (every destination filtered out); a retry writes nothing more. */
export async function insertEventIfAbsent(db: Executor, event: NewEventRow): Promise<void> {
  await db
    .insertInto("events")
    .values(event)
    .onConflict((conflict) => conflict.column("id").doNothing())
    .execute();
}

/**
 * A held trigger's rows (issue #16): its deliveries wait in a paused lane, so the log shows them
 * queued now instead of only once the first attempt writes them. One statement; rows already
 * written (by an attempt that won the race after a resume) stay as they are.
 */
export async function insertQueuedIfAbsent(db: Executor, event: NewEventRow, deliveries: NewDeliveryRow[]): Promise<void> {
  if (deliveries.length === 0) return;
  await db
    .with("new_event", (qb) =>
      qb
        .insertInto("events")
        .values(event)
        .onConflict((conflict) => conflict.column("id").doNothing()),
    )
    .insertInto("deliveries")
    .values(deliveries)
    .onConflict((conflict) => conflict.column("id").doNothing())
    .execute();
}

/** What an attempt needs of its destination and of the destination's callback. */
export interface DestinationForDelivery extends Pick<
  DestinationRow,
  "id" | "callback_id" | "kind" | "name" | "config" | "secrets_enc" | "enabled" | "disabled_reason" | "transform" | "paused"
> {
  callback_enabled: boolean;
  callback_paused: boolean;
  callback_variables: unknown;
}

export interface DeliveryContext {
  /** Null before the first attempt is recorded: the row is written after the send. */
  delivery: Pick<DeliveryRow, "status" | "attempts" | "target"> | null;
  /** Null once the destination is deleted (deleting a callback deletes its destinations). */
  destination: DestinationForDelivery | null;
}

/**
 * Everything an attempt reads before sending, in one statement. Either row may be missing
 * while the other exists, so each is a primary-key lookup in its own scalar subquery, returned
 * as a JSON object or null: the statement always yields one row.
 */
export async function findDeliveryContext(db: Executor, deliveryId: string, destinationId: string): Promise<DeliveryContext> {
  const delivery = db.selectFrom("deliveries").select(["status", "attempts", "target"]).where("id", "=", deliveryId);
  const destination = db
    .selectFrom("destinations")
    .innerJoin("callbacks", "callbacks.id", "destinations.callback_id")
    .select([
      "destinations.id",
      "destinations.callback_id",
      "destinations.kind",
      "destinations.name",
      "destinations.config",
      "destinations.secrets_enc",
      "destinations.enabled",
      "destinations.disabled_reason",
      "destinations.transform",
      "destinations.paused",
      "callbacks.enabled as callback_enabled",
      "callbacks.paused as callback_paused",
      "callbacks.variables as callback_variables",
    ])
    .where("destinations.id", "=", destinationId);
  return db.selectNoFrom([jsonObjectFrom(delivery).as("delivery"), jsonObjectFrom(destination).as("destination")]).executeTakeFirstOrThrow();
}

/**
 * Records an attempt in one statement (atomic, as every statement is): the event if this is
 * its trigger's first recorded attempt, the delivery inserted or moved on — only while it is
 * still queued, so a concurrent duplicate cannot undo a finished delivery — and the attempt.
 * A success also ends the destination's failure streak, written only when there is one, so a
 * busy destination's row is not rewritten on every delivery. Returns whether the delivery moved.
 */
export async function recordAttemptAtOnce(
  db: Executor,
  rows: { event: NewEventRow; delivery: NewDeliveryRow; attempt: NewDeliveryAttemptRow; progress: DeliveryProgress },
  resetStreakOf: string | null,
): Promise<boolean> {
  const moved = progressColumns(rows.progress);
  const result = await db
    .with("new_event", (qb) =>
      qb
        .insertInto("events")
        .values(rows.event)
        .onConflict((conflict) => conflict.column("id").doNothing()),
    )
    .with("moved", (qb) =>
      qb
        .insertInto("deliveries")
        .values({ ...rows.delivery, ...moved })
        .onConflict((conflict) => conflict.column("id").doUpdateSet(moved).where("deliveries.status", "=", "queued"))
        .returning("id"),
    )
    .with("attempt", (qb) => qb.insertInto("delivery_attempts").values(rows.attempt))
    .with("streak", (qb) =>
      qb
        .updateTable("destinations")
        .set({ consecutive_failures: 0 })
        .where("id", "=", resetStreakOf ?? "00000000-0000-0000-0000-000000000000")
        .where("consecutive_failures", "<>", 0),
    )
    .selectFrom("moved")
    .select("moved.id")
    .execute();
  return result.length > 0;
}
