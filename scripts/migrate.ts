// npm run migrate — applies pending migrations to DATABASE_URL (or the embedded PGlite in .data/).
import { isMainModule } from "./lib/cli";
import { createDbFromEnv } from "@/lib/db";
import { migrateToLatest } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";

export async function runMigrations(): Promise<string[]> {
  const handle = createDbFromEnv();
  try {
    const result = await migrateToLatest(handle.db);
    return (result.results ?? []).filter((item) => item.status === "Success").map((item) => item.migrationName);
  } finally {
    await handle.close();
  }
}

async function main(): Promise<void> {
  const target = getEnv().databaseUrl ? "DATABASE_URL" : "embedded PGlite (.data/pglite)";
  const applied = await runMigrations();
  console.log(applied.length > 0 ? `Applied ${applied.join(", ")} to ${target}` : `${target} is up to date`);
}

if (isMainModule(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? `Migration failed: ${error.message}` : error);
    if (error instanceof Error && error.cause) console.error(error.cause);
    process.exit(1);
  });
}
