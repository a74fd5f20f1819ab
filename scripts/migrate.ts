// npm run migrate — applies pending migrations to DATABASE_URL (or the embedded PGlite in .data/).
// npm run migrate:deploy — the same as Vercel's build step, for Production deployments only.
import { isMainModule } from "./lib/cli";
import { createDbFromEnv } from "@/lib/db";
import { migrateToLatest } from "@/lib/db/migrate";
import { getEnv, readVercelEnv, type Env } from "@/lib/env";

export async function runMigrations(): Promise<string[]> {
  const handle = createDbFromEnv();
  try {
    const result = await migrateToLatest(handle.db);
    return (result.results ?? []).filter((item) => item.status === "Success").map((item) => item.migrationName);
  } finally {
    await handle.close();
  }
}

/**
 * A Preview build shares the production database (or a branch of it) with the deployment that
 * serves traffic: migrating it there would change the schema under Production before the
 * change is released. So only a Production build migrates, and migrations are expand/contract.
 */
export function deployMigrationPlan(vercelEnv: Env["vercelEnv"]): { migrate: boolean; reason: string } {
  if (vercelEnv === "production") return { migrate: true, reason: "Production deployment" };
  const which = vercelEnv ? `VERCEL_ENV=${vercelEnv}` : "VERCEL_ENV is unset (not a Vercel build)";
  return { migrate: false, reason: `${which}: only Production deployments migrate; run npm run migrate by hand for another database` };
}

async function main(): Promise<void> {
  if (process.argv.includes("--deploy")) {
    const plan = deployMigrationPlan(readVercelEnv());
    if (!plan.migrate) {
      console.log(`Migrations skipped: ${plan.reason}`);
      return;
    }
  }
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
