// Queries on events: written once per trigger, by the first delivery attempt that arrives.
import type { Kysely } from "kysely";
import type { DB, EventRow } from "@/lib/db/schema";

type Executor = Kysely<DB>;

export async function findEventById(db: Executor, id: string): Promise<EventRow | undefined> {
  return db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findEventsByIds(db: Executor, ids: readonly string[]): Promise<EventRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("events").selectAll().where("id", "in", ids).execute();
}

/** A callback's latest handshake events (events_handshake_idx), newest first. */
export async function listHandshakeEvents(db: Executor, callbackId: string, limit: number): Promise<EventRow[]> {
  return db.selectFrom("events").selectAll().where("callback_id", "=", callbackId).where("kind", "=", "handshake").orderBy("received_at", "desc").limit(limit).execute();
}
