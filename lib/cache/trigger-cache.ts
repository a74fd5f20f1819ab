// Where the trigger-time view of a callback is cached in Redis, and the one way to drop it:
// every write to a callback or its destinations calls this after committing, whichever module
// makes the write (lib/triggers/callback-cache.ts reads and fills the entries).
import { randomUUID } from "node:crypto";
import type { Database } from "@/lib/db";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { getKeyValueStore } from "@/lib/redis";
import { log } from "@/lib/log";

export const cacheTtlSeconds = 300;

export const cacheKeys = {
  token: (tokenHash: string) => `sy:cb:t:${tokenHash}`,
  path: (path: string) => `sy:cb:p:${path}`,
  /** Changes on every invalidation of `entryKey`; a cache entry is good only under its own. */
  generation: (entryKey: string) => `${entryKey}:gen`,
};

/**
 * Outlives any entry filled under an older generation (cache TTL plus a fill's duration), so
 * an expired generation can never make a stale entry look current again.
 */
const generationTtlSeconds = 24 * 60 * 60;

/** Called after every committed change to a callback or its destinations. */
export async function invalidateCallbackCache(entries: Array<{ tokenHash?: string; path?: string | null }>): Promise<void> {
  const keys = entries.flatMap((entry) => [...(entry.tokenHash ? [cacheKeys.token(entry.tokenHash)] : []), ...(entry.path ? [cacheKeys.path(entry.path)] : [])]);
  const store = getKeyValueStore();
  try {
    // The new generation first: from then on nothing filled before this change is used.
    await Promise.all(keys.map((key) => store.set(cacheKeys.generation(key), randomUUID(), { exSeconds: generationTtlSeconds })));
    await store.del(...keys);
  } catch (error) {
    // A stale entry would outlive the change by up to the cache TTL: say so loudly.
    log.error("Redis unreachable: could not invalidate the callback cache", { error, ttlSeconds: cacheTtlSeconds });
  }
}

/** Destination changes alter the callback's trigger view: drop its cache entries. */
export async function invalidateCallbackById(db: Database, callbackId: string): Promise<void> {
  const row = await findCallbackById(db, callbackId);
  if (row) await invalidateCallbackCache([{ tokenHash: row.token_hash, path: row.path }]);
}
