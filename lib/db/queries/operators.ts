// Queries on operators (people who sign in to the UI). Callers own transactions.
import type { Insertable, Kysely } from "kysely";
import type { DB, OperatorRow, OperatorsTable } from "@/lib/db/schema";

type Executor = Kysely<DB>;
type NewOperatorRow = Insertable<OperatorsTable>;

export type OperatorSummary = Pick<OperatorRow, "id" | "username" | "role" | "session_version" | "created_at">;

export async function findOperatorByUsername(db: Executor, username: string): Promise<OperatorRow | undefined> {
  return db.selectFrom("operators").selectAll().where("username", "=", username).executeTakeFirst();
}

export async function listOperatorRows(db: Executor): Promise<OperatorSummary[]> {
  return db.selectFrom("operators").select(["id", "username", "role", "session_version", "created_at"]).orderBy("username").execute();
}

/** Inserts unless the username is taken; undefined means another row won the race. */
export async function insertOperatorIfAbsent(db: Executor, row: NewOperatorRow): Promise<OperatorRow | undefined> {
  return db
    .insertInto("operators")
    .values(row)
    .onConflict((conflict) => conflict.column("username").doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function deleteOperatorRow(db: Executor, id: string): Promise<OperatorSummary | undefined> {
  return db.deleteFrom("operators").where("id", "=", id).returning(["id", "username", "role", "session_version", "created_at"]).executeTakeFirst();
}

export async function countAdmins(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("operators")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("role", "=", "admin")
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** A new password; `bootstrapTokenHash` ties it to the ADMIN_TOKEN it came from (null: a chosen one). */
export async function setOperatorPassword(db: Executor, id: string, passwordHash: string, bootstrapTokenHash: string | null): Promise<boolean> {
  const result = await db
    .updateTable("operators")
    .set({ password_hash: passwordHash, bootstrap_token_hash: bootstrapTokenHash, updated_at: new Date() })
    .where("id", "=", id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function setBootstrapTokenHash(db: Executor, id: string, bootstrapTokenHash: string): Promise<void> {
  await db.updateTable("operators").set({ bootstrap_token_hash: bootstrapTokenHash }).where("id", "=", id).execute();
}
