// Keyset-paginated reads of the delivery log. Ids are UUIDv7, so "id < cursor" pages newest
// first along one index whatever the filter, and a time range maps to an id range.
import { sql, type ComparisonOperatorExpression, type Kysely } from "kysely";
import type { DB, DeliveryRow, DeliveryStatus } from "@/lib/db/schema";

/** Which deliveries a list or search is of; each field set narrows it. */
export interface DeliveryScope {
  callbackId?: string;
  destinationId?: string;
  status?: DeliveryStatus;
  kind?: string;
  /** Inclusive lower id bound (from a time). */
  fromId?: string;
}

type DeliveryTest = [column: "callback_id" | "destination_id" | "status" | "kind" | "id", operator: ComparisonOperatorExpression, value: string];

/**
 * The scope and the exclusive id bounds as tests on `deliveries` (aliased `d`); a caller applies
 * each to the column `d.<column>`.
 */
export function deliveryTests(scope: DeliveryScope, below: ReadonlyArray<string | undefined>, above: string | undefined): DeliveryTest[] {
  const tests: DeliveryTest[] = [];
  if (scope.callbackId) tests.push(["callback_id", "=", scope.callbackId]);
  if (scope.destinationId) tests.push(["destination_id", "=", scope.destinationId]);
  if (scope.status) tests.push(["status", "=", scope.status]);
  if (scope.kind) tests.push(["kind", "=", scope.kind]);
  for (const id of below) if (id) tests.push(["id", "<", id]);
  if (above) tests.push(["id", ">", above]);
  if (scope.fromId) tests.push(["id", ">=", scope.fromId]);
  return tests;
}

export interface DeliveryFilter extends DeliveryScope {
  /** Exclusive upper bound: the last id of the previous page. */
  beforeId?: string;
  /** Exclusive lower bound for the page just newer than this id; rows come back oldest first. */
  afterId?: string;
  /** Exclusive upper id bound (from a time). */
  toId?: string;
  limit: number;
}

export async function listDeliveryRows(db: Kysely<DB>, filter: DeliveryFilter): Promise<DeliveryRow[]> {
  let query = db.selectFrom("deliveries as d").selectAll("d");
  for (const [column, operator, value] of deliveryTests(filter, [filter.beforeId, filter.toId], filter.afterId)) query = query.where(sql.ref(`d.${column}`), operator, value);
  return query
    .orderBy("d.id", filter.afterId ? "asc" : "desc")
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
