// Queries on settings: one row per named setting (e.g. "alerts"), credentials sealed apart.
import type { Kysely } from "kysely";
import type { DB, SettingRow } from "@/lib/db/schema";

type Executor = Kysely<DB>;

export async function findSetting(db: Executor, name: string): Promise<SettingRow | undefined> {
  return db.selectFrom("settings").selectAll().where("name", "=", name).executeTakeFirst();
}

export async function upsertSetting(db: Executor, name: string, value: string, secretsEnc: string | null): Promise<SettingRow> {
  return db
    .insertInto("settings")
    .values({ name, value, secrets_enc: secretsEnc })
    .onConflict((conflict) => conflict.column("name").doUpdateSet({ value, secrets_enc: secretsEnc, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteSetting(db: Executor, name: string): Promise<boolean> {
  const result = await db.deleteFrom("settings").where("name", "=", name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
