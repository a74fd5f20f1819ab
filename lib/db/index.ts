// The one place a Kysely<DB> is built. Everything else receives `db` (or a transaction).
import { Kysely, PostgresDialect } from "kysely";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { createNeonPool, createPglitePool, type PoolHandle } from "@/lib/db/pool";
import type { DB } from "@/lib/db/schema";

export type Database = Kysely<DB>;

export interface DbHandle {
  db: Database;
  close(): Promise<void>;
}

export function createDb(handle: PoolHandle): DbHandle {
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: handle.pool }) });
  return {
    db,
    async close() {
      // Kysely's destroy ends the pool; then PGlite and its folder lock are released.
      await db.destroy();
      await handle.release();
    },
  };
}

/** The pool the environment asks for: Neon when DATABASE_URL is set, else PGlite in .data/. */
export function createDbFromEnv(): DbHandle {
  const env = getEnv();
  const handle = env.databaseUrl ? createNeonPool(env.databaseUrl, { wsProxy: env.neonWsProxy }) : createPglitePool(path.join(env.dataDir, "pglite"));
  return createDb(handle);
}

// Kept on globalThis so dev-server hot reloads reuse one pool (and one PGlite) per process.
const holder = globalThis as typeof globalThis & { __switchyardDb?: DbHandle };

export function getDb(): Database {
  holder.__switchyardDb ??= createDbFromEnv();
  return holder.__switchyardDb.db;
}
