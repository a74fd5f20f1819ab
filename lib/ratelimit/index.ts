// Per-callback trigger rate limit: @upstash/ratelimit's sliding window over Redis, or an
// in-process window in development without Redis. Fails open when Redis is unreachable.
import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import { getRedisClient, redisTimeoutMs } from "@/lib/redis";
import { clearWarnOnce, warnOnce } from "@/lib/log";

export interface LimitResult {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix ms when the window frees up. */
  reset: number;
}

const windowMs = 60_000;
/** Per Redis client: a limiter must not outlive the client it was built on (see getRedisClient). */
const limiters = new WeakMap<Redis, Map<number, Ratelimit>>();
const memoryWindows = new Map<string, { start: number; previous: number; current: number }>();

function upstashLimiter(limit: number): Ratelimit | undefined {
  const redis = getRedisClient();
  if (!redis) return undefined;
  let byLimit = limiters.get(redis);
  if (!byLimit) {
    byLimit = new Map();
    limiters.set(redis, byLimit);
  }
  let limiter = byLimit.get(limit);
  if (!limiter) {
    limiter = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(limit, "60 s"),
      prefix: "sy:rl",
      timeout: redisTimeoutMs,
      analytics: false,
    });
    byLimit.set(limit, limiter);
  }
  return limiter;
}

/** Sliding-window counter: the previous window's count weighted by its remaining overlap. */
function limitInMemory(key: string, limit: number, now: number): LimitResult {
  const windowStart = Math.floor(now / windowMs) * windowMs;
  let state = memoryWindows.get(key);
  if (!state || state.start !== windowStart) {
    const previous = state && state.start === windowStart - windowMs ? state.current : 0;
    state = { start: windowStart, previous, current: 0 };
    memoryWindows.set(key, state);
  }
  const weight = 1 - (now - windowStart) / windowMs;
  const used = Math.floor(state.previous * weight) + state.current;
  const success = used < limit;
  if (success) state.current += 1;
  return { success, limit, remaining: Math.max(0, limit - used - (success ? 1 : 0)), reset: windowStart + windowMs };
}

export async function limitTrigger(callbackId: string, limit: number, now = Date.now()): Promise<LimitResult> {
  const limiter = upstashLimiter(limit);
  if (!limiter) return limitInMemory(callbackId, limit, now);
  try {
    const result = await limiter.limit(callbackId);
    clearWarnOnce("redis-ratelimit");
    return { success: result.success, limit: result.limit, remaining: result.remaining, reset: result.reset };
  } catch (error) {
    warnOnce("redis-ratelimit", "Redis unreachable: trigger rate limits are not enforced (failing open)", { error });
    return { success: true, limit, remaining: limit, reset: now + windowMs };
  }
}

export function rateLimitHeaders(result: LimitResult, now = Date.now()): Record<string, string> {
  const resetSeconds = Math.max(0, Math.ceil((result.reset - now) / 1000));
  return {
    "ratelimit-limit": String(result.limit),
    "ratelimit-remaining": String(result.remaining),
    "ratelimit-reset": String(resetSeconds),
    ...(result.success ? {} : { "retry-after": String(Math.max(1, resetSeconds)) }),
  };
}
