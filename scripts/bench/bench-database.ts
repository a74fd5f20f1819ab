// A throwaway PostgreSQL database for a bench that seeds its own rows: created on the local server,
// migrated, reached through the Neon driver and scripts/ws-proxy exactly like the app, and dropped
// afterwards even when the bench fails.
import { createDb, type Database } from "@/lib/db";
import { createNeonPool } from "@/lib/db/pool";
import { migrateToLatest } from "@/lib/db/migrate";
import { startWsProxy } from "../ws-proxy";

/** Runs `use` on a fresh, migrated database `name` on `serverUrl` (e.g. postgres://postgres@127.0.0.1:5432). */
export async function withBenchDatabase<T>(name: string, serverUrl: string, use: (db: Database) => Promise<T>): Promise<T> {
  const proxy = await startWsProxy();
  const admin = createNeonPool(`${serverUrl}/postgres`, { wsProxy: proxy.url, max: 1 });
  await admin.pool.query(`create database ${name}`);
  const handle = createDb(createNeonPool(`${serverUrl}/${name}`, { wsProxy: proxy.url, max: 2 }));
  try {
    await migrateToLatest(handle.db);
    return await use(handle.db);
  } finally {
    await handle.close();
    await admin.pool.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await admin.pool.end();
    await proxy.close();
  }
}
