// Candidate rows for a search over deliveries: each delivery with its event's captured request,
// narrowed by what SQL can answer. The caller evaluates the full filter on every candidate, so
// the conditions here only need to be necessary, never sufficient: `body_json @@ jsonpath` uses
// the GIN index events_body_json_idx (jsonb_path_ops), method/path are plain column tests.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from "kysely";
import type { DB, DeliveryRow } from "@/lib/db/schema";
import { deliveryTests, type DeliveryScope } from "@/lib/db/queries/delivery-log";

/** What SQL can check of a filter: a tree of ANDs and ORs over indexable tests. */
export type EventCondition =
  | { all: EventCondition[] }
  | { any: EventCondition[] }
  /** A jsonpath predicate over the parsed body, e.g. `$."type" == "order.created"`. */
  | { bodyPath: string }
  | { column: "method" | "path"; in: string[] };

export interface SearchBounds extends DeliveryScope {
  /** Exclusive id bounds: the keyset and the time window, already combined by the caller. */
  belowId?: string;
  aboveId?: string;
  /** Skip originals that were already replayed (bulk replay). */
  notReplayed?: boolean;
  condition: EventCondition | null;
  /** Newest first unless ascending (a page newer than a cursor, or bulk replay's oldest first). */
  ascending: boolean;
  limit: number;
}

export interface SearchCandidate {
  delivery: DeliveryRow;
  event: {
    method: string;
    path: string;
    query: unknown;
    headers: unknown;
    /** The raw body only when it did not parse as JSON: body_json stands for it otherwise. */
    body: string;
    body_encoding: string;
    body_json: unknown;
  };
}

type Builder = ExpressionBuilder<DB & { d: DB["deliveries"]; e: DB["events"] }, "d" | "e">;

function renderCondition(eb: Builder, condition: EventCondition): Expression<SqlBool> {
  if ("all" in condition) return eb.and(condition.all.map((part) => renderCondition(eb, part)));
  if ("any" in condition) return eb.or(condition.any.map((part) => renderCondition(eb, part)));
  if ("bodyPath" in condition) return sql<SqlBool>`e.body_json @@ ${condition.bodyPath}::jsonpath`;
  return eb(`e.${condition.column}`, "in", condition.in);
}

/**
 * For the rest of the caller's transaction, plans without parallel workers: a search batch reads
 * at most a thousand rows, and launching a worker cost more than that (p50 37 ms without, 132 ms
 * with, for a 1-in-20 body equality at 1,000,000 events on a busy 2-core machine).
 */
export async function planWithoutParallelWorkers(trx: Kysely<DB>): Promise<void> {
  await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
}

/** The candidates' statement, unexecuted (the bench EXPLAINs it). */
export function searchCandidatesQuery(db: Kysely<DB>, bounds: SearchBounds) {
  let query = db.selectFrom("deliveries as d").innerJoin("events as e", "e.id", "d.event_id").selectAll("d");
  for (const [column, operator, value] of deliveryTests(bounds, [bounds.belowId], bounds.aboveId)) query = query.where(sql.ref(`d.${column}`), operator, value);
  if (bounds.notReplayed) {
    query = query.where(({ not, exists, selectFrom }) => not(exists(selectFrom("deliveries as r").select("r.id").whereRef("r.replay_of", "=", "d.id"))));
  }
  const condition = bounds.condition;
  if (condition) query = query.where((eb) => renderCondition(eb, condition));
  return query
    .select([
      "e.method as event_method",
      "e.path as event_path",
      "e.query as event_query",
      "e.headers as event_headers",
      sql<string>`case when e.body_json is null then e.body else '' end`.as("event_body"),
      "e.body_encoding as event_body_encoding",
      "e.body_json as event_body_json",
    ])
    .orderBy("d.id", bounds.ascending ? "asc" : "desc")
    .limit(bounds.limit);
}

export async function listSearchCandidates(db: Kysely<DB>, bounds: SearchBounds): Promise<SearchCandidate[]> {
  const rows = await searchCandidatesQuery(db, bounds).execute();
  return rows.map(({ event_method, event_path, event_query, event_headers, event_body, event_body_encoding, event_body_json, ...delivery }) => ({
    delivery,
    event: { method: event_method, path: event_path, query: event_query, headers: event_headers, body: event_body, body_encoding: event_body_encoding, body_json: event_body_json },
  }));
}
