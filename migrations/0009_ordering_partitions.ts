// Issue #16 follow-up (#11 audit): a keyed FIFO destination hashes its ordering key's values into
// a fixed number of QStash queues, instead of one queue per value that any trigger sender could
// multiply up to the plan's queue limit.
// - destinations.ordering_partitions: how many (1 to 32); the default 4 for every row, read only
//   when the destination has an ordering key.
// Expand only: old code ignores the new column, and it has a default.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table destinations add column ordering_partitions integer not null default 4 check (ordering_partitions between 1 and 32)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table destinations drop column if exists ordering_partitions`.execute(db);
}
