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
