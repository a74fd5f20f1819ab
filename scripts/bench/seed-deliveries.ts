// Bulk-loads synthetic deliveries with time-ordered, UUIDv7-shaped ids in one INSERT … SELECT.
// Secondary indexes are dropped for the load and rebuilt from their own definitions (faster
// than maintaining them row by row), then the table is vacuumed and analysed as in steady state.
import { sql } from "kysely";
import type { Database } from "@/lib/db";

const callbacks = 10;
const destinationsPerCallback = 2;

export async function seedDeliveries(db: Database, rows: number, stepMs = 50): Promise<void> {
  const indexes = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes
    where tablename = 'deliveries' and indexname <> 'deliveries_pkey'`.execute(db);
  for (const index of indexes.rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  const startMs = Date.now() - rows * stepMs;
  // id: 48-bit ms timestamp, version 7, variant 8, and the row number so ids stay unique.
  await sql`
    insert into deliveries (id, event_id, callback_id, destination_id, kind, status, attempts, target,
      last_status_code, last_duration_ms, created_at, updated_at, completed_at)
    select
      (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || lpad(to_hex(g % 4096), 3, '0') || '-8' ||
        lpad(to_hex((g / 4096) % 4096), 3, '0') || '-' || lpad(to_hex(g), 12, '0'))::uuid,
      md5(g::text)::uuid,
      ('00000000-0000-7000-8000-' || lpad(to_hex(g % ${callbacks}), 12, '0'))::uuid,
      ('00000000-0000-7000-9000-' || lpad(to_hex(g % ${callbacks * destinationsPerCallback}), 12, '0'))::uuid,
      (array['http', 'mqtt', 'amqp'])[1 + g % 3],
      case when g % 50 = 0 then 'dead' when g % 20 = 0 then 'failed' when g % 97 = 0 then 'queued' else 'succeeded' end,
      1 + (g % 3),
      'POST https://receiver.example/hooks/' || (g % 20),
      200,
      5 + (g::bigint * 7919) % 400,
      to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
    from (
      select g, ms, lpad(to_hex(ms), 12, '0') as h
      from (select g, ${startMs}::bigint + g * ${stepMs}::bigint as ms from generate_series(1, ${rows}) as g) as t
    ) as series`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.definition).execute(db);
  await sql`vacuum analyze deliveries`.execute(db);
}
