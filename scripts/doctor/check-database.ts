// The database the app would use: reachable, and every migration in migrations/ applied.
import { sql } from "kysely";
import { createDbFromEnv } from "@/lib/db";
import { pendingMigrations } from "@/lib/db/migrate";
import { DatabaseInUseError } from "@/lib/db/pool";
import type { Env } from "@/lib/env";
import { appReport, type AppProbe } from "./app-probe";
import { describeError, fail, pass, skip, withTimeout, type CheckResult } from "./report";

const name = "database";
const timeoutMs = 15_000;

async function inspect(target: string): Promise<CheckResult> {
  const handle = createDbFromEnv();
  try {
    await withTimeout(sql`select 1`.execute(handle.db), timeoutMs, target);
    const pending = await withTimeout(pendingMigrations(handle.db), timeoutMs, target);
    if (pending.length > 0) {
      return fail(
        name,
        `${target} is reachable but ${pending.length} migration(s) are not applied: ${pending.join(", ")}`,
        "run npm run migrate with this DATABASE_URL (a Production deploy runs it)",
      );
    }
    return pass(name, `${target} is reachable and migrated`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** npm run dev holds the embedded database: the app it serves at APP_URL reports on it instead. */
async function inspectThroughApp(app: AppProbe, holder: number): Promise<CheckResult> {
  const held = `the embedded PGlite database is open in process ${holder} (npm run dev)`;
  const seen = (await appReport(app))?.database;
  if (!seen) return skip(name, `${held}, and the app at APP_URL did not report on it`);
  if ("error" in seen) return fail(name, `${held}, and the app at APP_URL cannot use it (${seen.error})`, "read npm run dev's output, then restart it");
  if (seen.pending.length > 0) {
    return fail(name, `${held}; the app at APP_URL reports ${seen.pending.length} migration(s) not applied: ${seen.pending.join(", ")}`, "restart npm run dev, which migrates at start");
  }
  return pass(name, `${held}; the app at APP_URL reports it migrated`);
}

export async function checkDatabase(env: Env, app: AppProbe): Promise<CheckResult> {
  const target = env.databaseUrl ? "DATABASE_URL" : "the embedded PGlite database";
  try {
    return await inspect(target);
  } catch (error) {
    if (error instanceof DatabaseInUseError) return inspectThroughApp(app, error.pid);
    return fail(name, `cannot use ${target}: ${describeError(error)}`, "check DATABASE_URL (the pooled connection string from the Neon console, with ?sslmode=require)");
  }
}
