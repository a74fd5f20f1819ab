// Named secrets for `{secret:NAME}` templates. Values are write-only: sealed on the way in and
// only ever decrypted for a delivery, never returned.
import { z } from "zod";
import type { Database } from "@/lib/db";
import { deleteSecretRow, findSecretRows, listSecretRows, upsertSecret } from "@/lib/db/queries/secrets";
import { decryptSecret, encryptSecret } from "@/lib/crypto/encryption";
import { AppError, notFound } from "@/lib/errors";

const secretNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must start with a letter or _ and contain only letters, digits and _ (max 64)");

export const secretInputSchema = z
  .object({
    name: secretNameSchema,
    value: z.string().min(1).max(65_536),
  })
  .strict();

export interface SecretView {
  name: string;
  createdAt: string;
  updatedAt: string;
}

export async function putSecret(db: Database, input: z.infer<typeof secretInputSchema>): Promise<SecretView> {
  const row = await upsertSecret(db, input.name, encryptSecret(input.value));
  return { name: row.name, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}

export async function listSecrets(db: Database): Promise<SecretView[]> {
  const rows = await listSecretRows(db);
  return rows.map((row) => ({ name: row.name, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() }));
}

export async function removeSecret(db: Database, name: string): Promise<void> {
  if (!secretNameSchema.safeParse(name).success) throw new AppError("validation_failed", "Invalid secret name", { field: "name" });
  if (!(await deleteSecretRow(db, name))) throw notFound(`Secret ${name}`);
}

/** Names among `names` that have no stored secret. */
export async function missingSecrets(db: Database, names: readonly string[]): Promise<string[]> {
  const found = new Set((await findSecretRows(db, names)).map((row) => row.name));
  return names.filter((name) => !found.has(name));
}

/** Decrypted values for a delivery; absent names are simply not in the result. */
export async function loadSecretValues(db: Database, names: readonly string[]): Promise<Record<string, string>> {
  const rows = await findSecretRows(db, [...new Set(names)]);
  return Object.fromEntries(rows.map((row) => [row.name, decryptSecret(row.ciphertext)]));
}
