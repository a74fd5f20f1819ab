// Runs the ordered migrations in migrations/ through kysely's Migrator.
import { Migrator, type MigrationResultSet } from "kysely";
import { migrations } from "@/migrations";
import type { Database } from "@/lib/db";

export async function migrateToLatest(db: Database): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "switchyard_migrations",
    migrationLockTableName: "switchyard_migrations_lock",
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((item) => item.status === "Error");
    throw new Error(`Migration ${failed?.migrationName ?? "(unknown)"} failed`, { cause: result.error });
  }
  return result;
}
