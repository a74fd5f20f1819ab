// Queries on destinations.
import { sql, type Kysely } from "kysely";
import type { DB, DestinationRow, DestinationUpdate, NewDestinationRow } from "@/lib/db/schema";

type Executor = Kysely<DB>;

export async function insertDestination(db: Executor, row: NewDestinationRow): Promise<DestinationRow> {
  return db.insertInto("destinations").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findDestinationById(db: Executor, id: string): Promise<DestinationRow | undefined> {
  return db.selectFrom("destinations").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listDestinationsOf(db: Executor, callbackIds: readonly string[]): Promise<DestinationRow[]> {
  if (callbackIds.length === 0) return [];
  return db.selectFrom("destinations").selectAll().where("callback_id", "in", callbackIds).orderBy("created_at").orderBy("id").execute();
}

/** How many of the callback's destinations are enabled, `exceptId` left out. */
export async function countEnabledDestinationsOf(db: Executor, callbackId: string, exceptId?: string): Promise<number> {
  const row = await db
    .selectFrom("destinations")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("callback_id", "=", callbackId)
    .where("enabled", "=", true)
    .$if(exceptId !== undefined, (query) => query.where("id", "<>", exceptId ?? ""))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Of these destinations, the ones still held by their own pause or their callback's. */
export async function listHeldDestinationIds(db: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("destinations")
    .innerJoin("callbacks", "callbacks.id", "destinations.callback_id")
    .select("destinations.id")
    .where("destinations.id", "in", ids)
    .where((eb) => eb.or([eb("destinations.paused", "=", true), eb("callbacks.paused", "=", true)]))
    .execute();
  return rows.map((row) => row.id);
}

export async function updateDestinationRow(db: Executor, id: string, changes: DestinationUpdate): Promise<DestinationRow | undefined> {
  return db
    .updateTable("destinations")
    .set({ ...changes, updated_at: new Date() })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteDestinationRow(db: Executor, id: string): Promise<DestinationRow | undefined> {
  return db.deleteFrom("destinations").where("id", "=", id).returningAll().executeTakeFirst();
}

export type FailureStreak = Pick<DestinationRow, "consecutive_failures" | "failure_threshold" | "breaker_action">;

/** Success resets the failure streak; the streak and the breaker's settings feed the circuit breaker. */
export async function recordDestinationStreak(db: Executor, id: string, succeeded: boolean): Promise<FailureStreak | undefined> {
  return db
    .updateTable("destinations")
    .set({ consecutive_failures: succeeded ? 0 : sql<number>`consecutive_failures + 1` })
    .where("id", "=", id)
    .returning(["consecutive_failures", "failure_threshold", "breaker_action"])
    .executeTakeFirst();
}

export async function recordDestinationResult(db: Executor, id: string, succeeded: boolean): Promise<number> {
  return (await recordDestinationStreak(db, id, succeeded))?.consecutive_failures ?? 0;
}

/** Disables an enabled destination; undefined when it was already disabled (nothing changed). */
export async function disableDestinationRow(db: Executor, id: string, reason: string): Promise<DestinationRow | undefined> {
  return db
    .updateTable("destinations")
    .set({ enabled: false, disabled_reason: reason, updated_at: new Date() })
    .where("id", "=", id)
    .where("enabled", "=", true)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Runs one breaker action on the destination if it is enabled (and, to pause, not paused yet), has
 * that action and `failures` reached its threshold; the guard lets exactly one concurrent caller win.
 */
function tripBreakerRow(db: Executor, id: string, failures: number, action: DestinationRow["breaker_action"], changes: DestinationUpdate): Promise<DestinationRow | undefined> {
  return (
    db
      .updateTable("destinations")
      .set(changes)
      .where("id", "=", id)
      .where("enabled", "=", true)
      .where("breaker_action", "=", action)
      // Pausing a paused destination would move its paused_at and reason.
      .$if(action === "pause", (query) => query.where("paused", "=", false))
      .where("failure_threshold", "is not", null)
      .where("failure_threshold", "<=", failures)
      .returningAll()
      .executeTakeFirst()
  );
}

/** The circuit breaker: disables the destination when `failures` reached its threshold. */
export async function tripCircuitBreakerRow(db: Executor, id: string, failures: number, reason: string): Promise<DestinationRow | undefined> {
  return tripBreakerRow(db, id, failures, "disable", { enabled: false, disabled_reason: reason, updated_at: new Date() });
}

/** The breaker of a destination whose breaker_action is 'pause': its backlog is held, not skipped. */
export async function pauseByBreakerRow(db: Executor, id: string, failures: number): Promise<DestinationRow | undefined> {
  const now = new Date();
  return tripBreakerRow(db, id, failures, "pause", { paused: true, paused_reason: "breaker", paused_at: now, updated_at: now });
}

/** The destinations an event's filters left out, in the order recorded; name null once deleted. */
export async function listFilteredDestinationsOfEvent(db: Executor, eventId: string): Promise<Array<{ id: string; name: string | null }>> {
  const result = await sql<{ id: string; name: string | null }>`
    select f.id, d.name
    from events e
    cross join lateral jsonb_array_elements_text(e.filtered_destination_ids) with ordinality as f(id, position)
    left join destinations d on d.id::text = f.id
    where e.id = ${eventId}
    order by f.position`.execute(db);
  return result.rows;
}
