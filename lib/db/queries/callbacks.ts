// Queries on callbacks. Callers own transactions: pass `db` or a `trx`.
import type { Kysely } from "kysely";
import type { CallbackRow, CallbackUpdate, DB, NewCallbackRow } from "@/lib/db/schema";

type Executor = Kysely<DB>;

export async function insertCallback(db: Executor, row: NewCallbackRow): Promise<CallbackRow> {
  return db.insertInto("callbacks").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findCallbackById(db: Executor, id: string): Promise<CallbackRow | undefined> {
  return db.selectFrom("callbacks").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * Locks the callback's row until the transaction ends, so writers that take it run one after
 * another (Postgres and PGlite alike). Outside a transaction the lock ends with the statement.
 */
export async function lockCallbackRow(db: Executor, id: string): Promise<void> {
  await db.selectFrom("callbacks").select("id").where("id", "=", id).forUpdate().execute();
}

export async function findCallbackByTokenHash(db: Executor, tokenHash: string): Promise<CallbackRow | undefined> {
  return db.selectFrom("callbacks").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
}

export async function findCallbackByPath(db: Executor, path: string): Promise<CallbackRow | undefined> {
  return db.selectFrom("callbacks").selectAll().where("path", "=", path).executeTakeFirst();
}

export async function listCallbackRows(db: Executor): Promise<CallbackRow[]> {
  return db.selectFrom("callbacks").selectAll().orderBy("created_at", "desc").orderBy("id", "desc").execute();
}

export async function updateCallbackRow(db: Executor, id: string, changes: CallbackUpdate): Promise<CallbackRow | undefined> {
  return db
    .updateTable("callbacks")
    .set({ ...changes, updated_at: new Date() })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteCallbackRow(db: Executor, id: string): Promise<CallbackRow | undefined> {
  return db.deleteFrom("callbacks").where("id", "=", id).returningAll().executeTakeFirst();
}
