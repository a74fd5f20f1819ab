// The database the app would use: reachable, and every migration in migrations/ applied.
import { sql } from "kysely";
import { createDbFromEnv } from "@/lib/db";
import { pendingMigrations } from "@/lib/db/migrate";
import { DatabaseInUseError } from "@/lib/db/pool";
import type { Env } from "@/lib/env";
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

export async function checkDatabase(env: Env): Promise<CheckResult> {
  const target = env.databaseUrl ? "DATABASE_URL" : "the embedded PGlite database";
  try {
    return await inspect(target);
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      return skip(name, `the embedded PGlite database is open in process ${error.pid} (npm run dev, which migrates it at start)`);
    }
    return fail(name, `cannot use ${target}: ${describeError(error)}`, "check DATABASE_URL (the pooled connection string from the Neon console, with ?sslmode=require)");
  }
}
