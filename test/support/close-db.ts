// Closes this process's app database pool (lib/db keeps it on globalThis); the next getDb()
// opens a new one. For tests whose next query must take a new connection, or that end a file
// with nothing left open.
import type { DbHandle } from "@/lib/db";

const holder = globalThis as typeof globalThis & { __switchyardDb?: DbHandle };

export async function closeDb(): Promise<void> {
  const handle = holder.__switchyardDb;
  holder.__switchyardDb = undefined;
  await handle?.close();
}
