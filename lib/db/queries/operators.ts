// Queries on operators (people who sign in to the UI). Callers own transactions.
import { sql, type Insertable, type Kysely } from "kysely";
import type { DB, OperatorRow, OperatorsTable } from "@/lib/db/schema";

type Executor = Kysely<DB>;
type NewOperatorRow = Insertable<OperatorsTable>;

export type OperatorSummary = Pick<OperatorRow, "id" | "username" | "role" | "session_version" | "created_at">;

export async function findOperatorById(db: Executor, id: string): Promise<OperatorSummary | undefined> {
  return db
    .selectFrom("operators")
    .select(["id", "username", "role", "session_version", "created_at"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function findOperatorByUsername(db: Executor, username: string): Promise<OperatorRow | undefined> {
  return db.selectFrom("operators").selectAll().where("username", "=", username).executeTakeFirst();
}

export async function listOperatorRows(db: Executor): Promise<OperatorSummary[]> {
  return db
    .selectFrom("operators")
    .select(["id", "username", "role", "session_version", "created_at"])
    .orderBy("username")
    .execute();
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

/** Every cookie issued before this stops resolving ("log out everywhere"). */
export async function bumpSessionVersion(db: Executor, id: string): Promise<void> {
  await db
    .updateTable("operators")
    .set({ session_version: sql<number>`session_version + 1`, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
}
