// What /api/health reports: each dependency reachable or not, never a secret or a URL.
import { sql } from "kysely";
import { getDb } from "@/lib/db";
import { getKeyValueStore } from "@/lib/redis";
import { getEnv } from "@/lib/env";
import { lastQstashFault } from "@/lib/qstash/qstash-status";

type Check = { ok: boolean; detail?: string; latencyMs?: number };

async function timed(run: () => Promise<string | undefined>): Promise<Check> {
  const started = performance.now();
  try {
    const detail = await run();
    return { ok: true, latencyMs: Math.round(performance.now() - started), ...(detail ? { detail } : {}) };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.name : "error" };
  }
}

/** Fails while a QStash call recently hit a deployment fault (wrong token or region, quota…). */
async function checkQstash(): Promise<Check> {
  const fault = await lastQstashFault().catch(() => undefined);
  if (!fault) return { ok: true };
  return { ok: false, detail: `${fault.cause} at ${fault.at}. Fix: ${fault.fix}` };
}

export async function checkHealth(): Promise<{ ok: boolean; checks: Record<string, Check> }> {
  const env = getEnv();
  const [database, redis, qstash] = await Promise.all([
    timed(async () => {
      await sql`select 1`.execute(getDb());
      return env.databaseUrl ? "postgres" : "embedded";
    }),
    timed(async () => {
      const store = getKeyValueStore();
      await store.get("sy:health");
      return store.kind;
    }),
    checkQstash(),
  ]);
  const checks = { database, redis, qstash };
  return { ok: Object.values(checks).every((check) => check.ok), checks };
}
