// The one wrapper around Redis: Upstash REST in production and tests (through the local bridge),
// an in-process map when development runs without any Redis server.
import { Redis } from "@upstash/redis";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { createMemoryStore } from "@/lib/redis/memory-store";

export interface SetOptions {
  exSeconds?: number;
  /** Only set when the key does not exist; the result says whether it was set. */
  nx?: boolean;
}

export interface KeyValueStore {
  readonly kind: "upstash" | "memory";
  get<T>(key: string): Promise<T | null>;
  /** Several keys in one round trip (MGET), in the order asked. */
  getMany<T>(...keys: string[]): Promise<Array<T | null>>;
  set(key: string, value: unknown, options?: SetOptions): Promise<boolean>;
  del(...keys: string[]): Promise<void>;
}

/** Short enough that a hung Redis cannot hold a trigger past its sender's patience. */
const redisTimeoutMs = 1_000;

function createUpstashStore(client: Redis): KeyValueStore {
  return {
    kind: "upstash",
    get: <T>(key: string) => client.get<T>(key),
    getMany: <T>(...keys: string[]) => client.mget<Array<T | null>>(...keys),
    async set(key, value, options = {}) {
      const base = options.exSeconds ? { ex: options.exSeconds } : {};
      const result = options.nx ? await client.set(key, value, { ...base, nx: true }) : await client.set(key, value, base);
      return result === "OK";
    },
    async del(...keys) {
      if (keys.length > 0) await client.del(...keys);
    },
  };
}

interface RedisHolder {
  client?: Redis;
  store?: KeyValueStore;
}
const holder = globalThis as typeof globalThis & { __switchyardRedis?: RedisHolder };

/** The Upstash client, or undefined when no Redis is configured (development fallback). */
export function getRedisClient(): Redis | undefined {
  const state = (holder.__switchyardRedis ??= {});
  const config = getEnv().redis;
  if (!config) return undefined;
  state.client ??= new Redis({
    url: config.url,
    token: config.token,
    retry: { retries: 1, backoff: () => 50 },
    signal: () => AbortSignal.timeout(redisTimeoutMs),
    enableTelemetry: false,
    // One command per trigger step: batching them costs a timer hop and buys nothing.
    enableAutoPipelining: false,
  });
  return state.client;
}

export function getKeyValueStore(): KeyValueStore {
  const state = (holder.__switchyardRedis ??= {});
  if (state.store) return state.store;
  const client = getRedisClient();
  if (client) {
    state.store = createUpstashStore(client);
  } else {
    log.info("UPSTASH_REDIS_REST_URL is not set: using the in-process cache and rate limiter (development only)");
    state.store = createMemoryStore();
  }
  return state.store;
}
