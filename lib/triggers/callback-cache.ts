// Trigger-time view of a callback, cached in Redis by token hash and by custom path so warm
// triggers never touch Postgres. Every configuration change moves the affected keys to a new
// generation (and deletes them); an entry counts only under the generation it was filled in.
import { z } from "zod";
import type { Database } from "@/lib/db";
import type { CallbackRow, DestinationRow } from "@/lib/db/schema";
import { findCallbackByPath, findCallbackByTokenHash } from "@/lib/db/queries/callbacks";
import { listDestinationsOf } from "@/lib/db/queries/destinations";
import { getKeyValueStore } from "@/lib/redis";
import { warnOnce, clearWarnOnce } from "@/lib/log";
import { defaultMaxConcurrency } from "@/lib/destinations/limits";
import { cacheKeys, cacheTtlSeconds } from "@/lib/cache/trigger-cache";
import { triggerLaneFields, triggerLaneFieldsOf } from "@/lib/triggers/trigger-lanes";

const storedFilterSchema = z.record(z.string(), z.unknown()).nullable();

const triggerConfigSchema = z.object({
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
  /** Read by lib/triggers/handshakes and lib/triggers/acknowledgement through their own schemas. */
  handshake: z.unknown().nullish(),
  handshakeSecretEnc: z.string().nullish(),
  response: z.unknown().nullish(),
  retries: z.number(),
  enabled: z.boolean(),
  destinations: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      enabled: z.boolean(),
      maxConcurrency: z.number().default(defaultMaxConcurrency),
      /** Checked by the filter schema when saved; null: every event goes to this destination. */
      filter: storedFilterSchema.optional(),
      ...triggerLaneFields,
    }),
  ),
});

export type TriggerConfig = z.infer<typeof triggerConfigSchema>;

/** Unknown tokens are remembered briefly so a flood of random tokens cannot reach Postgres. */
const missTtlSeconds = 30;
const missMarker = { missing: true } as const;

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
    handshake: row.handshake ?? null,
    handshakeSecretEnc: row.handshake_secret_enc,
    response: row.response ?? null,
    retries: row.retries,
    enabled: row.enabled,
    destinations: destinations.map((destination) => ({
      id: destination.id,
      kind: destination.kind,
      enabled: destination.enabled,
      maxConcurrency: destination.max_concurrency,
      filter: storedFilterSchema.catch(null).parse(destination.filter ?? null),
      ...triggerLaneFieldsOf(destination, row),
    })),
  };
}

export type CallbackLocator = { by: "token"; tokenHash: string } | { by: "path"; path: string };

// Entries carry the generation their fill read before going to Postgres (null: none yet).
const generationSchema = z.string().nullable().catch(null);
const entrySchema = z.object({ gen: z.string().nullable() });

interface CacheRead {
  /** undefined: not cached, or cached under an older generation. */
  value: TriggerConfig | "missing" | undefined;
  /** The generation now: a fill stores it with what it reads from Postgres after this. */
  generation: string | null;
}

function parseEntry(cached: unknown, generation: string | null): CacheRead["value"] {
  const entry = entrySchema.safeParse(cached);
  if (!entry.success || entry.data.gen !== generation) return undefined;
  if (typeof cached === "object" && cached !== null && "missing" in cached) return "missing";
  const parsed = triggerConfigSchema.safeParse(cached);
  return parsed.success ? parsed.data : undefined;
}

/** The entry and its key's generation in one round trip (MGET). */
async function readCache(key: string): Promise<CacheRead | undefined> {
  try {
    const [cached, generation] = await getKeyValueStore().getMany<unknown>(key, cacheKeys.generation(key));
    clearWarnOnce("redis-cache");
    const current = generationSchema.parse(generation ?? null);
    return { value: cached === null || cached === undefined ? undefined : parseEntry(cached, current), generation: current };
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
  const row = locator.by === "token" ? await findCallbackByTokenHash(db(), locator.tokenHash) : await findCallbackByPath(db(), locator.path);
  if (!row) return null;
  return toTriggerConfig(row, await listDestinationsOf(db(), [row.id]));
}

/**
 * Cache first; Postgres only on a miss. `db` is lazy so a warm hit never opens a pool. A fill
 * racing a configuration change may still write what it read, but under the generation it saw
 * before reading: the change has moved the generation on, so no later trigger uses the entry.
 */
export async function findTriggerConfig(db: () => Database, locator: CallbackLocator): Promise<TriggerConfig | null> {
  const key = locator.by === "token" ? cacheKeys.token(locator.tokenHash) : cacheKeys.path(locator.path);
  const cached = await readCache(key);
  if (cached?.value === "missing") return null;
  if (cached?.value) return cached.value;
  const config = await loadFromDatabase(db, locator);
  if (cached) {
    const entry = config ? { ...config, gen: cached.generation } : { ...missMarker, gen: cached.generation };
    await writeCache(key, entry, config ? cacheTtlSeconds : missTtlSeconds);
  }
  return config;
}
