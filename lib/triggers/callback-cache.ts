// Trigger-time view of a callback, cached in Redis by token hash and by custom path so warm
// triggers never touch Postgres. Every configuration change deletes the affected keys.
import { z } from "zod";
import type { Database } from "@/lib/db";
import type { CallbackRow, DestinationRow } from "@/lib/db/schema";
import { findCallbackByPath, findCallbackByTokenHash } from "@/lib/db/queries/callbacks";
import { listDestinationsOf } from "@/lib/db/queries/destinations";
import { getKeyValueStore } from "@/lib/redis";
import { log, warnOnce, clearWarnOnce } from "@/lib/log";
import { defaultMaxConcurrency } from "@/lib/destinations/limits";

export const triggerConfigSchema = z.object({
  id: z.string(),
  tokenHash: z.string(),
  path: z.string().nullable(),
  pathTokenHeader: z.string().nullable(),
  methods: z.array(z.string()),
  rateLimitPerMinute: z.number().nullable(),
  maxBodyBytes: z.number(),
  idempotencyHeader: z.string().nullable(),
  inboundAuth: z.unknown().nullable(),
  inboundSecretEnc: z.string().nullable(),
  retries: z.number(),
  enabled: z.boolean(),
  destinations: z.array(
    z.object({ id: z.string(), kind: z.string(), enabled: z.boolean(), maxConcurrency: z.number().default(defaultMaxConcurrency) }),
  ),
});

export type TriggerConfig = z.infer<typeof triggerConfigSchema>;

const cacheTtlSeconds = 300;
/** Unknown tokens are remembered briefly so a flood of random tokens cannot reach Postgres. */
const missTtlSeconds = 30;
const missMarker = { missing: true } as const;

export const cacheKeys = {
  token: (tokenHash: string) => `sy:cb:t:${tokenHash}`,
  path: (path: string) => `sy:cb:p:${path}`,
};

export function toTriggerConfig(row: CallbackRow, destinations: DestinationRow[]): TriggerConfig {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    path: row.path,
    pathTokenHeader: row.path_token_header,
    methods: row.methods,
    rateLimitPerMinute: row.rate_limit_per_minute,
    maxBodyBytes: row.max_body_bytes,
    idempotencyHeader: row.idempotency_header,
    inboundAuth: row.inbound_auth ?? null,
    inboundSecretEnc: row.inbound_secret_enc,
    retries: row.retries,
    enabled: row.enabled,
    destinations: destinations.map((destination) => ({
      id: destination.id,
      kind: destination.kind,
      enabled: destination.enabled,
      maxConcurrency: destination.max_concurrency,
    })),
  };
}

export type CallbackLocator = { by: "token"; tokenHash: string } | { by: "path"; path: string };

async function readCache(key: string): Promise<TriggerConfig | "missing" | undefined> {
  try {
    const cached = await getKeyValueStore().get<unknown>(key);
    clearWarnOnce("redis-cache");
    if (cached === null) return undefined;
    if (typeof cached === "object" && "missing" in cached) return "missing";
    const parsed = triggerConfigSchema.safeParse(cached);
    return parsed.success ? parsed.data : undefined;
  } catch (error) {
    warnOnce("redis-cache", "Redis unreachable: callback cache bypassed", { error });
    return undefined;
  }
}

async function writeCache(key: string, value: unknown, exSeconds: number): Promise<void> {
  try {
    await getKeyValueStore().set(key, value, { exSeconds });
  } catch (error) {
    warnOnce("redis-cache", "Redis unreachable: callback cache bypassed", { error });
  }
}

async function loadFromDatabase(db: () => Database, locator: CallbackLocator): Promise<TriggerConfig | null> {
  const row =
    locator.by === "token" ? await findCallbackByTokenHash(db(), locator.tokenHash) : await findCallbackByPath(db(), locator.path);
  if (!row) return null;
  return toTriggerConfig(row, await listDestinationsOf(db(), [row.id]));
}

/** Cache first; Postgres only on a miss. `db` is lazy so a warm hit never opens a pool. */
export async function findTriggerConfig(db: () => Database, locator: CallbackLocator): Promise<TriggerConfig | null> {
  const key = locator.by === "token" ? cacheKeys.token(locator.tokenHash) : cacheKeys.path(locator.path);
  const cached = await readCache(key);
  if (cached === "missing") return null;
  if (cached) return cached;
  const config = await loadFromDatabase(db, locator);
  await writeCache(key, config ?? missMarker, config ? cacheTtlSeconds : missTtlSeconds);
  return config;
}

/** Called after every committed change to a callback or its destinations. */
export async function invalidateCallbackCache(entries: Array<{ tokenHash?: string; path?: string | null }>): Promise<void> {
  const keys = entries.flatMap((entry) => [
    ...(entry.tokenHash ? [cacheKeys.token(entry.tokenHash)] : []),
    ...(entry.path ? [cacheKeys.path(entry.path)] : []),
  ]);
  try {
    await getKeyValueStore().del(...keys);
  } catch (error) {
    // A stale entry would outlive the change by up to the cache TTL: say so loudly.
    log.error("Redis unreachable: could not invalidate the callback cache", { error, ttlSeconds: cacheTtlSeconds });
  }
}
