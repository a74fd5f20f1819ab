// The initial data model. Log tables (events, deliveries, delivery_attempts) carry no foreign
// keys to configuration so that deleting a callback or destination keeps its history readable.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table callbacks (
      id uuid primary key,
      name text not null check (length(name) between 1 and 200),
      token_hash text not null unique,
      token_prefix text not null,
      path text unique,
      path_token_header text,
      methods text[] not null,
      rate_limit_per_minute integer check (rate_limit_per_minute > 0),
      max_body_bytes integer not null default 1048576 check (max_body_bytes > 0),
      idempotency_header text,
      inbound_auth jsonb,
      inbound_secret_enc text,
      variables jsonb not null default '{}'::jsonb,
      retries integer not null default 5 check (retries between 0 and 20),
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table destinations (
      id uuid primary key,
      callback_id uuid not null references callbacks(id) on delete cascade,
      kind text not null check (kind in ('http', 'mqtt', 'amqp')),
      name text not null check (length(name) between 1 and 200),
      config jsonb not null,
      secrets_enc text,
      enabled boolean not null default true,
      consecutive_failures integer not null default 0,
      disabled_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index destinations_callback_idx on destinations (callback_id, created_at)`.execute(db);

  await sql`
    create table events (
      id uuid primary key,
      callback_id uuid not null,
      received_at timestamptz not null,
      method text not null,
      path text not null,
      query jsonb not null,
      headers jsonb not null,
      body text not null,
      body_encoding text not null check (body_encoding in ('utf8', 'base64')),
      body_bytes integer not null,
      idempotency_key text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index events_received_idx on events (received_at)`.execute(db);

  await sql`
    create table deliveries (
      id uuid primary key,
      event_id uuid not null,
      callback_id uuid not null,
      destination_id uuid not null,
      kind text not null,
      status text not null check (status in ('queued', 'succeeded', 'failed', 'dead', 'skipped')),
      attempts integer not null default 0,
      target text,
      last_error text,
      last_status_code integer,
      last_duration_ms integer,
      qstash_message_id text,
      replay_of uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      completed_at timestamptz
    )`.execute(db);
  // Delivery ids are UUIDv7 (time-ordered), so "id desc" is newest first and every keyset
  // page is an index range scan, with or without one filter.
  await sql`create index deliveries_callback_idx on deliveries (callback_id, id desc)`.execute(db);
  await sql`create index deliveries_destination_idx on deliveries (destination_id, id desc)`.execute(db);
  await sql`create index deliveries_status_idx on deliveries (status, id desc)`.execute(db);
  await sql`create index deliveries_kind_idx on deliveries (kind, id desc)`.execute(db);
  await sql`create index deliveries_event_idx on deliveries (event_id)`.execute(db);
  await sql`create index deliveries_created_idx on deliveries (created_at)`.execute(db);

  await sql`
    create table delivery_attempts (
      id uuid primary key,
      delivery_id uuid not null,
      attempt integer not null,
      started_at timestamptz not null,
      duration_ms integer not null,
      outcome text not null check (outcome in ('succeeded', 'retryable', 'permanent', 'skipped')),
      request jsonb not null,
      response jsonb,
      error text,
      qstash_message_id text,
      qstash_retried integer
    )`.execute(db);
  await sql`create index delivery_attempts_delivery_idx on delivery_attempts (delivery_id, attempt)`.execute(db);
  await sql`create index delivery_attempts_started_idx on delivery_attempts (started_at)`.execute(db);

  await sql`
    create table secrets (
      name text primary key check (name ~ '^[A-Za-z_][A-Za-z0-9_]{0,63}$'),
      ciphertext text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table operators (
      id uuid primary key,
      username text not null unique check (length(username) between 1 and 100),
      password_hash text not null,
      role text not null check (role in ('admin', 'viewer')),
      session_version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["operators", "secrets", "delivery_attempts", "deliveries", "events", "destinations", "callbacks"]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
