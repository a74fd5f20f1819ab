// Issue #16: hold, order and pace deliveries.
// - destinations: ordering ('none' | 'fifo') and its ordering_key template, rate_limit
//   ({count, periodSeconds}) sent as QStash flow control, retries overriding the callback's,
//   retry_delay (a preset or a QStash expression), breaker_action ('disable' | 'pause'), and the
//   destination's own pause (paused, paused_reason 'operator' | 'breaker', paused_at).
// - callbacks: paused and paused_at (a paused callback holds every destination).
// - alerts: the 'destination.paused' type (a breaker that pauses instead of disabling).
// Expand only: old code ignores the new columns, and every one is nullable or has a default.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table destinations
    add column ordering text not null default 'none' check (ordering in ('none', 'fifo')),
    add column ordering_key text,
    add column rate_limit jsonb,
    add column retries integer check (retries between 0 and 20),
    add column retry_delay jsonb,
    add column breaker_action text not null default 'disable' check (breaker_action in ('disable', 'pause')),
    add column paused boolean not null default false,
    add column paused_reason text check (paused_reason in ('operator', 'breaker')),
    add column paused_at timestamptz`.execute(db);
  await sql`alter table callbacks add column paused boolean not null default false, add column paused_at timestamptz`.execute(db);
  await sql`alter table alerts drop constraint if exists alerts_type_check`.execute(db);
  await sql`alter table alerts add constraint alerts_type_check check (type in ('delivery.dead', 'destination.disabled', 'destination.paused'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from alerts where type = 'destination.paused'`.execute(db);
  await sql`alter table alerts drop constraint if exists alerts_type_check`.execute(db);
  await sql`alter table alerts add constraint alerts_type_check check (type in ('delivery.dead', 'destination.disabled'))`.execute(db);
  await sql`alter table callbacks drop column if exists paused_at, drop column if exists paused`.execute(db);
  await sql`alter table destinations
    drop column if exists paused_at, drop column if exists paused_reason, drop column if exists paused,
    drop column if exists breaker_action, drop column if exists retry_delay, drop column if exists retries,
    drop column if exists rate_limit, drop column if exists ordering_key, drop column if exists ordering`.execute(db);
}
