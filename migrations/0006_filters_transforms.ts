// Issue #15: destination filters and transforms, and search over events.
// - destinations.filter (the filter language, JSON) and destinations.transform (JavaScript source
//   run in a sandbox at delivery time): destination-level, beside max_concurrency.
// - events.filtered_destination_ids: the destinations a trigger's filter check left out.
// - events.body_json: the body parsed once at accept time when it is JSON (null otherwise), with a
//   GIN index (jsonb_path_ops) so an equality on a body field is a containment lookup, not a scan.
// Expand only: old code ignores the new columns, and every one is nullable or has a default.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table destinations add column filter jsonb`.execute(db);
  await sql`alter table destinations add column transform text`.execute(db);
  await sql`alter table events add column filtered_destination_ids jsonb not null default '[]'::jsonb`.execute(db);
  await sql`alter table events add column body_json jsonb`.execute(db);
  await sql`create index events_body_json_idx on events using gin (body_json jsonb_path_ops)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists events_body_json_idx`.execute(db);
  await sql`alter table events drop column if exists body_json`.execute(db);
  await sql`alter table events drop column if exists filtered_destination_ids`.execute(db);
  await sql`alter table destinations drop column if exists transform`.execute(db);
  await sql`alter table destinations drop column if exists filter`.execute(db);
}
