// Issue #17: verification handshakes and custom acknowledgements.
// - callbacks.handshake: the handshake preset ({type}, no secret), or null for none;
//   callbacks.handshake_secret_enc: its secret (Meta's verify token, Zoom's secret token, X's
//   consumer secret), sealed like inbound_secret_enc.
// - callbacks.response: the custom acknowledgement ({status, headers?, body?}); null keeps 202 JSON.
// - events.kind: 'trigger' for every event so far; 'handshake' for a verification request that
//   was answered and recorded, never fanned out. The delivery log joins deliveries, so handshake
//   events (which have none) stay out of it.
// Expand only: old code ignores the new columns, and every one is nullable or has a default.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table callbacks add column handshake jsonb`.execute(db);
  await sql`alter table callbacks add column handshake_secret_enc text`.execute(db);
  await sql`alter table callbacks add column response jsonb`.execute(db);
  await sql`alter table events add column kind text not null default 'trigger'`.execute(db);
  await sql`alter table events add constraint events_kind_check check (kind in ('trigger', 'handshake'))`.execute(db);
  // The callback page lists its latest handshakes; they are few, so a partial index stays small.
  await sql`create index events_handshake_idx on events (callback_id, received_at desc) where kind = 'handshake'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists events_handshake_idx`.execute(db);
  await sql`alter table events drop constraint if exists events_kind_check`.execute(db);
  await sql`alter table events drop column if exists kind`.execute(db);
  await sql`alter table callbacks drop column if exists response`.execute(db);
  await sql`alter table callbacks drop column if exists handshake_secret_enc`.execute(db);
  await sql`alter table callbacks drop column if exists handshake`.execute(db);
}
