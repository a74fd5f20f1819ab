// Per-destination concurrency: QStash flow control keeps at most this many deliveries of one
// destination in flight, so a burst of triggers cannot flood the receiver or the function.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table destinations add column max_concurrency integer not null default 8
    check (max_concurrency between 1 and 1000)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table destinations drop column if exists max_concurrency`.execute(db);
}
