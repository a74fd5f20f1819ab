// Keyset-paginated reads of the delivery log. Ids are UUIDv7, so "id < cursor" pages newest
// first along one index whatever the filter, and a time range maps to an id range.
import type { Kysely } from "kysely";
import type { DB, DeliveryRow, DeliveryStatus } from "@/lib/db/schema";

export interface DeliveryFilter {
  callbackId?: string;
  destinationId?: string;
  status?: DeliveryStatus;
  kind?: string;
  /** Exclusive upper bound: the last id of the previous page. */
  beforeId?: string;
  /** Exclusive lower bound for the page just newer than this id; rows come back oldest first. */
  afterId?: string;
  /** Inclusive lower id bound (from a time). */
  fromId?: string;
  /** Exclusive upper id bound (from a time). */
  toId?: string;
  limit: number;
}

export async function listDeliveryRows(db: Kysely<DB>, filter: DeliveryFilter): Promise<DeliveryRow[]> {
  let query = db.selectFrom("deliveries").selectAll();
  if (filter.callbackId) query = query.where("callback_id", "=", filter.callbackId);
  if (filter.destinationId) query = query.where("destination_id", "=", filter.destinationId);
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.kind) query = query.where("kind", "=", filter.kind);
  if (filter.beforeId) query = query.where("id", "<", filter.beforeId);
  if (filter.afterId) query = query.where("id", ">", filter.afterId);
  if (filter.toId) query = query.where("id", "<", filter.toId);
  if (filter.fromId) query = query.where("id", ">=", filter.fromId);
  return query
    .orderBy("id", filter.afterId ? "asc" : "desc")
    .limit(filter.limit)
    .execute();
}

export interface EventDeliveryRow {
  id: string;
  destination_id: string;
  kind: string;
  status: DeliveryStatus;
  replay_of: string | null;
  /** Null once the destination is deleted. */
  destination_name: string | null;
}

/** Every delivery one event made (replays included), oldest first, with its destination's name. */
export async function listEventDeliveryRows(db: Kysely<DB>, eventId: string, limit = 100): Promise<EventDeliveryRow[]> {
  return db
    .selectFrom("deliveries as d")
    .leftJoin("destinations as dest", "dest.id", "d.destination_id")
    .select(["d.id", "d.destination_id", "d.kind", "d.status", "d.replay_of", "dest.name as destination_name"])
    .where("d.event_id", "=", eventId)
    .orderBy("d.id", "asc")
    .limit(limit)
    .execute();
}
