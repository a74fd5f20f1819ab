// Bulk-loads synthetic events with JSON bodies (body and body_json, as the trigger route stores
// them) and one delivery each, spread evenly over the last 30 days, in two INSERT … SELECT
// statements. Secondary indexes (the GIN one included) are dropped for the load and rebuilt from
// their own definitions, then both tables are vacuumed and analysed as in steady state.
import { sql } from "kysely";
import type { Database } from "@/lib/db";

export const searchSeedShape = { days: 30, types: 20, customers: 10_000 } as const;

async function dropSecondaryIndexes(db: Database, table: string): Promise<string[]> {
  const indexes = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes where tablename = ${table} and indexname <> ${`${table}_pkey`}`.execute(db);
  for (const index of indexes.rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  return indexes.rows.map((index) => index.definition);
}

export async function seedSearchEvents(db: Database, rows: number): Promise<void> {
  const definitions = [...(await dropSecondaryIndexes(db, "events")), ...(await dropSecondaryIndexes(db, "deliveries"))];
  const stepMs = Math.floor((searchSeedShape.days * 86_400_000) / rows);
  const startMs = Date.now() - rows * stepMs;
  // ids: 48-bit ms timestamp, version 7, variant 8 (events) or 9 (deliveries), the row number.
  const series = sql`(select g, lpad(to_hex(${startMs}::bigint + g * ${stepMs}::bigint), 12, '0') as h, ${startMs}::bigint + g * ${stepMs}::bigint as ms
    from generate_series(1, ${rows}) as g) as series`;
  const id = (variant: string) => sql.raw(`(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7000-${variant}000-' || lpad(to_hex(g), 12, '0'))::uuid`);
  await sql`
    insert into events (id, callback_id, received_at, method, path, query, headers, body, body_encoding, body_bytes, body_json)
    select ${id("8")}, '00000000-0000-7000-8000-000000000001', to_timestamp(ms / 1000.0), 'POST', '/hooks/orders', '{}',
      '{"content-type":"application/json"}', b::text, 'utf8', octet_length(b::text), b
    from (
      select g, h, ms, jsonb_build_object('type', 'type.' || (g % ${searchSeedShape.types}), 'customer', jsonb_build_object('id', 'c' || (g % ${searchSeedShape.customers})),
        'amount', g % 500, 'items', jsonb_build_array(jsonb_build_object('sku', 'sku-' || (g % 97)))) as b
      from ${series}
    ) as bodies`.execute(db);
  await sql`
    insert into deliveries (id, event_id, callback_id, destination_id, kind, status, attempts, created_at, updated_at, completed_at)
    select ${id("9")}, ${id("8")}, '00000000-0000-7000-8000-000000000001', '00000000-0000-7000-9000-000000000001', 'http',
      case when g % 50 = 0 then 'dead' else 'succeeded' end, 1, to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
    from ${series}`.execute(db);
  for (const definition of definitions) await sql.raw(definition).execute(db);
  await sql`vacuum analyze events`.execute(db);
  await sql`vacuum analyze deliveries`.execute(db);
}
