// Per-file setup for integration tests: the app's routes on the fixed test port, and the
// database handle the app itself uses, closed at the end.
import { afterAll, beforeAll } from "vitest";
import { getDb, type Database } from "@/lib/db";
import { startAppServer, type AppServer } from "./app-server";
import { devQstash, testConfig } from "./ports";
import { Client } from "@upstash/qstash";
import { closeDb } from "./close-db";

export interface AppHarness {
  readonly url: string;
  readonly db: Database;
}

export function useApp(): AppHarness {
  let server: AppServer | undefined;
  beforeAll(async () => {
    server = await startAppServer(testConfig().ports.app);
  });
  afterAll(async () => {
    // Jobs this file queued must not land on the next file's server (same port, same keys).
    await cancelPendingJobs();
    await server?.close();
    await closeDb();
  });
  return {
    get url() {
      if (!server) throw new Error("app server not started");
      return server.url;
    },
    get db() {
      return getDb();
    },
  };
}

/** The official client on the run's local QStash, the one the app publishes to. */
export function localQstashClient(options: { enableTelemetry?: boolean; retry?: false } = {}): Client {
  return new Client({ baseUrl: `http://127.0.0.1:${testConfig().ports.qstash}`, token: devQstash.token, devMode: false, ...options });
}

/** Drops every job still queued in the run's local QStash (they would reach the next file). */
export async function cancelPendingJobs(): Promise<void> {
  await localQstashClient()
    .messages.deleteAll()
    .catch(() => undefined);
}

/** Rows in the configuration tables: a refused request must leave them unchanged. */
export async function countConfigRows(db: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ["callbacks", "destinations", "secrets"] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
