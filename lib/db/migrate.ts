// Runs the ordered migrations in migrations/ through kysely's Migrator.
import { Migrator, type MigrationResultSet } from "kysely";
import { migrations } from "@/migrations";
import type { Database } from "@/lib/db";

function createMigrator(db: Database): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "switchyard_migrations",
    migrationLockTableName: "switchyard_migrations_lock",
  });
}

/** Migrations in migrations/ that `db` has not applied yet, in order; reads, never creates. */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const known = await createMigrator(db).getMigrations();
  return known.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

export async function migrateToLatest(db: Database): Promise<MigrationResultSet> {
  const result = await createMigrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((item) => item.status === "Error");
    throw new Error(`Migration ${failed?.migrationName ?? "(unknown)"} failed`, { cause: result.error });
  }
  return result;
}
