// Bounded deletes for retention. Ids are UUIDv7, so "older than the cutoff" is "id < a bound"
// and every batch is a primary-key range read of at most `limit` rows, never a table scan.
import { sql, type Kysely } from "kysely";
import type { DB } from "@/lib/db/schema";

type Executor = Kysely<DB>;
type PrunableTable = "delivery_attempts" | "alerts";

/** Deletes up to `limit` rows of `table` with id < `beforeId`, oldest first. */
export async function deleteOldRows(db: Executor, table: PrunableTable, beforeId: string, limit: number): Promise<number> {
  const result = await sql<{ count: number }>`
    with doomed as (
      select id from ${sql.table(table)} where id < ${beforeId}::uuid order by id limit ${limit}
    ), gone as (
      delete from ${sql.table(table)} where id in (select id from doomed) returning 1
    )
    select count(*)::int as count from gone`.execute(db);
  return result.rows[0]?.count ?? 0;
}

/**
 * Deletes up to `limit` deliveries with id < `beforeId`, with whatever attempts they still have
 * (an attempt can be newer than the cutoff when its delivery's retries straddled it).
 */
export async function deleteOldDeliveries(db: Executor, beforeId: string, limit: number): Promise<{ deliveries: number; attempts: number }> {
  const result = await sql<{ deliveries: number; attempts: number }>`
    with doomed as (
      select id from deliveries where id < ${beforeId}::uuid order by id limit ${limit}
    ), gone_attempts as (
      delete from delivery_attempts where delivery_id in (select id from doomed) returning 1
    ), gone as (
      delete from deliveries where id in (select id from doomed) returning 1
    )
    select (select count(*)::int from gone) as deliveries, (select count(*)::int from gone_attempts) as attempts`.execute(db);
  const row = result.rows[0];
  return { deliveries: row?.deliveries ?? 0, attempts: row?.attempts ?? 0 };
}

/**
 * Looks at up to `limit` events in (afterId, beforeId) and deletes those no delivery references
 * (a retained replay keeps its event). `lastId` is where the next batch starts, so events kept
 * for a replay are stepped over instead of re-read by every batch.
 */
export async function deleteOldEvents(
  db: Executor,
  range: { afterId: string | null; beforeId: string },
  limit: number,
): Promise<{ examined: number; deleted: number; lastId: string | null }> {
  const after = range.afterId ?? "00000000-0000-0000-0000-000000000000";
  const result = await sql<{ examined: number; deleted: number; last_id: string | null }>`
    with candidates as (
      select id from events where id > ${after}::uuid and id < ${range.beforeId}::uuid order by id limit ${limit}
    ), gone as (
      delete from events e
      where e.id in (select id from candidates) and not exists (select 1 from deliveries d where d.event_id = e.id)
      returning 1
    )
    select
      (select count(*)::int from candidates) as examined,
      (select count(*)::int from gone) as deleted,
      (select id from candidates order by id desc limit 1) as last_id`.execute(db);
  const row = result.rows[0];
  return { examined: row?.examined ?? 0, deleted: row?.deleted ?? 0, lastId: row?.last_id ?? null };
}
