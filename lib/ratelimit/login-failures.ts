// Sign-in attempts and failed bearer tokens, counted per client address (and sign-ins per
// username too) in Redis, or without Redis in an in-process map that sweeps itself.
// A sign-in attempt is counted BEFORE its password is checked, with one atomic INCR, so parallel
// guesses cannot all read "4 so far" and slip past the limit; a success takes its count back.
import { createHash } from "node:crypto";
import type { Redis } from "@upstash/redis";
import { AppError } from "@/lib/errors";
import { getRedisClient } from "@/lib/redis";
import { clearWarnOnce, warnOnce } from "@/lib/log";

export const maxLoginAttemptsPerAddress = 5;
/** Across all addresses: guesses spread over many addresses still meet this ceiling. */
export const maxLoginAttemptsPerUsername = 100;
const loginWindowSeconds = 15 * 60;
export const maxBearerFailures = 20;
const bearerWindowSeconds = 15 * 60;

const keyOf = (kind: string, ...parts: string[]) => `sy:${kind}:${createHash("sha256").update(parts.join("\n")).digest("base64url")}`;
const pairKey = (username: string, address: string) => keyOf("login-addr", username.toLowerCase(), address);
const userKey = (username: string) => keyOf("login-user", username.toLowerCase());
const bearerKey = (address: string) => keyOf("bearer-fail", address);

export interface MemoryCounterOptions {
  /** Counters kept at most; when full, the oldest go first. */
  maxEntries?: number;
  /** A write sweeps expired counters when the last sweep is at least this old. */
  sweepIntervalMs?: number;
  now?: () => number;
}

/** Expiring counters for development without Redis, bounded however many keys a flood invents. */
export function createMemoryCounters(options: MemoryCounterOptions = {}) {
  const maxEntries = options.maxEntries ?? 10_000;
  const sweepIntervalMs = options.sweepIntervalMs ?? 1_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { count: number; expiresAt: number }>();
  let lastSweep = now();
  const live = (key: string) => {
    const entry = entries.get(key);
    return entry && entry.expiresAt > now() ? entry : undefined;
  };
  const sweep = () => {
    const at = now();
    if (at - lastSweep < sweepIntervalMs && entries.size < maxEntries) return;
    lastSweep = at;
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
    for (const oldest of entries.keys()) {
      if (entries.size < maxEntries) break;
      entries.delete(oldest);
    }
  };
  return {
    get size() {
      return entries.size;
    },
    read: (key: string) => live(key)?.count ?? 0,
    increment(key: string, windowSeconds: number): number {
      const entry = live(key);
      if (entry) return (entry.count += 1);
      entries.delete(key);
      sweep();
      entries.set(key, { count: 1, expiresAt: now() + windowSeconds * 1000 });
      return 1;
    },
    decrement(key: string): void {
      const entry = live(key);
      if (entry && entry.count > 0) entry.count -= 1;
    },
  };
}

const memory = createMemoryCounters();

async function withRedis<T>(run: (redis: Redis) => Promise<T>, fallback: () => T): Promise<T> {
  const redis = getRedisClient();
  if (!redis) return fallback();
  try {
    const result = await run(redis);
    clearWarnOnce("redis-login-limit");
    return result;
  } catch (error) {
    // Failing open keeps operators able to sign in during a Redis outage; scrypt still slows guessing.
    warnOnce("redis-login-limit", "Redis unreachable: sign-in and bearer-token limits fall back to this process", { error });
    return fallback();
  }
}

/** INCR with the window set by the first one (SET NX EX), so a counter can never lose its expiry. */
async function incrementAll(keys: string[], windowSeconds: number): Promise<number[]> {
  return withRedis(
    async (redis) => {
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.set(key, 0, { nx: true, ex: windowSeconds }).incr(key);
      const results = await pipeline.exec<unknown[]>();
      return keys.map((_, index) => Number(results[index * 2 + 1]));
    },
    () => keys.map((key) => memory.increment(key, windowSeconds)),
  );
}

const tooMany = (message: string, windowSeconds: number) => new AppError("rate_limited", message, { headers: { "retry-after": String(windowSeconds) } });

/** Counts one sign-in attempt; throws 429 when this one is over a limit (the password is not checked). */
export async function countLoginAttempt(username: string, address: string): Promise<void> {
  const [perAddress = 0, perUsername = 0] = await incrementAll([pairKey(username, address), userKey(username)], loginWindowSeconds);
  if (perAddress <= maxLoginAttemptsPerAddress && perUsername <= maxLoginAttemptsPerUsername) return;
  throw tooMany("Too many sign-in attempts for this username; wait 15 minutes and try again", loginWindowSeconds);
}

/**
 * A successful sign-in takes its own count back, so only failures (and attempts in flight) use up
 * a limit. DECR rather than DEL: a success must not wipe a guesser's count from the same address.
 */
export async function forgetLoginAttempt(username: string, address: string): Promise<void> {
  const keys = [pairKey(username, address), userKey(username)];
  await withRedis(
    async (redis) => {
      const pipeline = redis.pipeline();
      // SET NX EX first: a counter that expired meanwhile comes back with an expiry, never without.
      for (const key of keys) pipeline.set(key, 0, { nx: true, ex: loginWindowSeconds }).decr(key);
      await pipeline.exec();
    },
    () => keys.forEach((key) => memory.decrement(key)),
  );
}

/** 429 once an address sent `maxBearerFailures` wrong bearer tokens in the window. */
export async function assertBearerAllowed(address: string): Promise<void> {
  const key = bearerKey(address);
  const failures = await withRedis(
    async (redis) => Number((await redis.get<number>(key)) ?? 0),
    () => memory.read(key),
  );
  if (failures < maxBearerFailures) return;
  throw tooMany("Too many wrong bearer tokens from your address; wait 15 minutes and try again", bearerWindowSeconds);
}

export async function countBearerFailure(address: string): Promise<void> {
  await incrementAll([bearerKey(address)], bearerWindowSeconds);
}
