// Lifecycle (issue #7): a per-destination circuit-breaker threshold, indexes for bulk replay,
// a settings table (the alert webhook) and the alerts log.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // NULL turns the breaker off for that destination; existing rows get the default.
  await sql`alter table destinations add column failure_threshold integer default 20
    check (failure_threshold between 1 and 10000)`.execute(db);

  // Bulk replay: one destination's dead (or failed) deliveries in an id (time) range.
  await sql`create index deliveries_destination_status_idx on deliveries (destination_id, status, id)`.execute(db);
  // Bulk replay skips originals already replayed; few rows carry replay_of, hence partial.
  await sql`create index deliveries_replay_of_idx on deliveries (replay_of) where replay_of is not null`.execute(db);

  await sql`
    create table settings (
      name text primary key,
      value jsonb not null,
      secrets_enc text,
      updated_at timestamptz not null default now()
    )`.execute(db);

  // One row per alert, carrying its latest attempt: alerts are rare and their receiver is one
  // URL, so a delivery-sized log per attempt would add nothing an operator needs.
  await sql`
    create table alerts (
      id uuid primary key,
      type text not null check (type in ('delivery.dead', 'destination.disabled')),
      callback_id uuid,
      destination_id uuid,
      delivery_id uuid,
      payload jsonb not null,
      status text not null check (status in ('queued', 'succeeded', 'failed', 'dead', 'skipped')),
      attempts integer not null default 0,
      target text,
      last_error text,
      last_status_code integer,
      last_duration_ms integer,
      qstash_message_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      completed_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists alerts`.execute(db);
  await sql`drop table if exists settings`.execute(db);
  await sql`drop index if exists deliveries_replay_of_idx`.execute(db);
  await sql`drop index if exists deliveries_destination_status_idx`.execute(db);
  await sql`alter table destinations drop column if exists failure_threshold`.execute(db);
}
