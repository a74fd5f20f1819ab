// Server-side operator sessions, so signing out or changing a password ends a session at once
// instead of waiting for a signed cookie to expire. The row id is a hash of the cookie's token:
// reading the table does not hand out usable cookies. bootstrap_token_hash ties the bootstrap
// admin's password to the ADMIN_TOKEN it came from, so changing ADMIN_TOKEN revokes both.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table operator_sessions (
      id text primary key,
      operator_id uuid not null references operators(id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index operator_sessions_operator_idx on operator_sessions (operator_id)`.execute(db);
  await sql`alter table operators add column bootstrap_token_hash text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table operators drop column if exists bootstrap_token_hash`.execute(db);
  await sql`drop table if exists operator_sessions`.execute(db);
}
