// Queries on the encrypted secrets table.
import type { Kysely } from "kysely";
import type { DB, SecretRow } from "@/lib/db/schema";

type Executor = Kysely<DB>;

export async function upsertSecret(db: Executor, name: string, ciphertext: string): Promise<SecretRow> {
  return db
    .insertInto("secrets")
    .values({ name, ciphertext })
    .onConflict((conflict) => conflict.column("name").doUpdateSet({ ciphertext, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listSecretRows(db: Executor): Promise<Array<Pick<SecretRow, "name" | "created_at" | "updated_at">>> {
  return db.selectFrom("secrets").select(["name", "created_at", "updated_at"]).orderBy("name").execute();
}

export async function findSecretRows(db: Executor, names: readonly string[]): Promise<SecretRow[]> {
  if (names.length === 0) return [];
  return db.selectFrom("secrets").selectAll().where("name", "in", names).execute();
}

export async function deleteSecretRow(db: Executor, name: string): Promise<boolean> {
  const result = await db.deleteFrom("secrets").where("name", "=", name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
