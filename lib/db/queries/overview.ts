// Aggregates for the overview page. Every query is bounded by `id >= fromId`: ids are UUIDv7, so
// a time window is a range scan of the primary key instead of a scan of the whole log.
import { sql, type Kysely } from "kysely";
import type { DB, DeliveryStatus } from "@/lib/db/schema";

type Executor = Kysely<DB>;

const countWhere = (status: DeliveryStatus) => sql<number>`(count(*) filter (where status = ${status}))::int`;

export interface StatusCounts {
  queued: number;
  succeeded: number;
  failed: number;
  dead: number;
  skipped: number;
}

export interface CallbackWindowRow extends StatusCounts {
  callback_id: string;
  triggers: number;
  total: number;
  p50_ms: number | null;
  p95_ms: number | null;
}

export async function callbackWindowStats(db: Executor, fromId: string): Promise<CallbackWindowRow[]> {
  return db
    .selectFrom("deliveries")
    .select([
      "callback_id",
      sql<number>`count(distinct event_id)::int`.as("triggers"),
      sql<number>`count(*)::int`.as("total"),
      countWhere("queued").as("queued"),
      countWhere("succeeded").as("succeeded"),
      countWhere("failed").as("failed"),
      countWhere("dead").as("dead"),
      countWhere("skipped").as("skipped"),
      // percentile_cont skips nulls: deliveries without a finished attempt do not count.
      sql<number | null>`percentile_cont(0.5) within group (order by last_duration_ms)`.as("p50_ms"),
      sql<number | null>`percentile_cont(0.95) within group (order by last_duration_ms)`.as("p95_ms"),
    ])
    .where("id", ">=", fromId)
    .groupBy("callback_id")
    .execute();
}

export interface HourlyStatusRow {
  /** Hours since the Unix epoch: timezone-free buckets. */
  hour: number;
  status: DeliveryStatus;
  count: number;
}

export async function hourlyStatusCounts(db: Executor, fromId: string): Promise<HourlyStatusRow[]> {
  const hour = sql<number>`floor(extract(epoch from created_at) / 3600)::int`;
  return db
    .selectFrom("deliveries")
    .select([hour.as("hour"), "status", sql<number>`count(*)::int`.as("count")])
    .where("id", ">=", fromId)
    .groupBy([hour, "status"])
    .execute();
}

export interface DestinationHealthRow {
  id: string;
  callback_id: string;
  name: string;
  kind: string;
  enabled: boolean;
  consecutive_failures: number;
  disabled_reason: string | null;
  total: number | null;
  succeeded: number | null;
  failures: number | null;
}

/** Every destination (a configuration-sized table) with its window counts, if any. */
export async function destinationWindowHealth(db: Executor, fromId: string): Promise<DestinationHealthRow[]> {
  const stats = db
    .selectFrom("deliveries")
    .select([
      "destination_id",
      sql<number>`count(*)::int`.as("total"),
      countWhere("succeeded").as("succeeded"),
      sql<number>`(count(*) filter (where status in ('failed', 'dead')))::int`.as("failures"),
    ])
    .where("id", ">=", fromId)
    .groupBy("destination_id")
    .as("s");
  return db
    .selectFrom("destinations as d")
    .leftJoin(stats, "s.destination_id", "d.id")
    .select(["d.id", "d.callback_id", "d.name", "d.kind", "d.enabled", "d.consecutive_failures", "d.disabled_reason", "s.total", "s.succeeded", "s.failures"])
    .execute();
}
