// Failed sign-ins counted per username + client IP in Redis (an in-process map without Redis).
// Only failures count, so an operator who types the password right is never slowed down.
import { createHash } from "node:crypto";
import { AppError } from "@/lib/errors";
import { getRedisClient } from "@/lib/redis";
import { clearWarnOnce, warnOnce } from "@/lib/log";

export const maxLoginFailures = 5;
export const loginFailureWindowSeconds = 15 * 60;

const memory = new Map<string, { count: number; expiresAt: number }>();

function failureKey(username: string, ip: string): string {
  const digest = createHash("sha256").update(`${username.toLowerCase()}\n${ip}`).digest("base64url");
  return `sy:login-fail:${digest}`;
}

async function withRedis<T>(run: (redis: NonNullable<ReturnType<typeof getRedisClient>>) => Promise<T>, fallback: () => T): Promise<T> {
  const redis = getRedisClient();
  if (!redis) return fallback();
  try {
    const result = await run(redis);
    clearWarnOnce("redis-login-limit");
    return result;
  } catch (error) {
    // Failing open keeps operators able to sign in during a Redis outage; scrypt still slows guessing.
    warnOnce("redis-login-limit", "Redis unreachable: failed sign-ins are not being limited", { error });
    return fallback();
  }
}

function memoryCount(key: string, now = Date.now()): number {
  const entry = memory.get(key);
  if (!entry || entry.expiresAt <= now) return 0;
  return entry.count;
}

/** 429 with Retry-After once `maxLoginFailures` failures happened within the window. */
export async function assertLoginAllowed(username: string, ip: string): Promise<void> {
  const key = failureKey(username, ip);
  const count = await withRedis(async (redis) => Number((await redis.get<number>(key)) ?? 0), () => memoryCount(key));
  if (count < maxLoginFailures) return;
  throw new AppError("rate_limited", "Too many failed sign-ins for this username from your address; wait and try again", {
    headers: { "retry-after": String(loginFailureWindowSeconds) },
  });
}

export async function recordLoginFailure(username: string, ip: string): Promise<void> {
  const key = failureKey(username, ip);
  await withRedis(
    async (redis) => {
      const count = await redis.incr(key);
      if (count === 1) await redis.expire(key, loginFailureWindowSeconds);
    },
    () => {
      const now = Date.now();
      const count = memoryCount(key, now) + 1;
      const expiresAt = count === 1 ? now + loginFailureWindowSeconds * 1000 : (memory.get(key)?.expiresAt ?? now);
      memory.set(key, { count, expiresAt });
    },
  );
}

export async function clearLoginFailures(username: string, ip: string): Promise<void> {
  const key = failureKey(username, ip);
  await withRedis(
    async (redis) => {
      await redis.del(key);
    },
    () => {
      memory.delete(key);
    },
  );
}
