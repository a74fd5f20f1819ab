// Per-callback trigger rate limit: @upstash/ratelimit's sliding window over Redis (run as our own
// script, see sliding-window-script.ts, so the idempotency claim can ride in the same round
// trip), or an in-process window in development without Redis. Fails open when Redis is
// unreachable; the claim then reports the store unreachable.
import { getKeyValueStore, getRedisClient } from "@/lib/redis";
import { clearWarnOnce, warnOnce } from "@/lib/log";
import { AppError } from "@/lib/errors";
import { slidingWindowScript, slidingWindowScriptSha } from "@/lib/ratelimit/sliding-window-script";

export interface LimitResult {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix ms when the window frees up. */
  reset: number;
}

/** A value to store under `key` unless something is there already. */
export interface ClaimWrite {
  key: string;
  value: unknown;
  exSeconds: number;
}

export type ClaimResult =
  /** The value was written. */
  | { status: "written" }
  /** The key held this value; nothing was written. */
  | { status: "taken"; existing: unknown }
  /** Not attempted: the limit refused the trigger. */
  | { status: "skipped" }
  | { status: "unreachable" };

export interface Admission {
  /** null when no limit was asked for. */
  limit: LimitResult | null;
  /** null when no claim was asked for. */
  claim: ClaimResult | null;
}

const windowMs = 60_000;
/** The library's key prefix, kept so counts carry over from the @upstash/ratelimit era. */
const prefix = "sy:rl";
const memoryWindows = new Map<string, { start: number; previous: number; current: number }>();
/**
 * @upstash/ratelimit's ephemeral cache: a caller it blocked is answered without Redis until its
 * window resets. Keyed by limit too, as the library keeps one cache per limiter.
 */
const blockedUntil = new Map<string, number>();

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

async function admitInMemory(callbackId: string, limit: number | null, claim: ClaimWrite | null, now: number): Promise<Admission> {
  const limited = limit ? limitInMemory(callbackId, limit, now) : null;
  if (!claim) return { limit: limited, claim: null };
  if (limited && !limited.success) return { limit: limited, claim: { status: "skipped" } };
  const store = getKeyValueStore();
  try {
    if (await store.set(claim.key, claim.value, { nx: true, exSeconds: claim.exSeconds })) return { limit: limited, claim: { status: "written" } };
    return { limit: limited, claim: { status: "taken", existing: await store.get(claim.key) } };
  } catch {
    return { limit: limited, claim: { status: "unreachable" } };
  }
}

function cachedBlock(cacheKey: string, limit: number, now: number): LimitResult | null {
  const reset = blockedUntil.get(cacheKey);
  if (reset === undefined) return null;
  if (reset < now) {
    blockedUntil.delete(cacheKey);
    return null;
  }
  return { success: false, limit, remaining: 0, reset };
}

function scriptInput(callbackId: string, limit: number | null, claim: ClaimWrite | null, now: number): { keys: string[]; args: Array<string | number> } {
  const window = Math.floor(now / windowMs);
  const limitKeys = limit ? [`${prefix}:${callbackId}:${window}`, `${prefix}:${callbackId}:${window - 1}`] : [];
  const claimArgs = claim ? [JSON.stringify(claim.value), claim.exSeconds] : [];
  return { keys: [...limitKeys, ...(claim ? [claim.key] : [])], args: [limit ?? 0, now, windowMs, 1, ...claimArgs] };
}

/** EVALSHA, and EVAL when Redis does not know the script yet (as the library's safeEval). */
async function runScript(keys: string[], args: Array<string | number>): Promise<[number, unknown]> {
  const client = getRedisClient();
  if (!client) throw new Error("no Redis client");
  try {
    return await client.evalsha<Array<string | number>, [number, unknown]>(slidingWindowScriptSha, keys, args);
  } catch (error) {
    if (!String(error).includes("NOSCRIPT")) throw error;
    return client.eval<Array<string | number>, [number, unknown]>(slidingWindowScript, keys, args);
  }
}

/**
 * The callback's rate limit (when `limit` is set) and, if it lets the trigger through, the
 * claim (when given): one Redis round trip for both, none for a caller already known blocked.
 */
export async function admitTrigger(callbackId: string, limit: number | null, claim: ClaimWrite | null, now = Date.now()): Promise<Admission> {
  if (!limit && !claim) return { limit: null, claim: null };
  if (!getRedisClient()) return admitInMemory(callbackId, limit, claim, now);
  const reset = (Math.floor(now / windowMs) + 1) * windowMs;
  const cacheKey = `${limit}:${callbackId}`;
  const blocked = limit ? cachedBlock(cacheKey, limit, now) : null;
  if (blocked) return { limit: blocked, claim: claim ? { status: "skipped" } : null };
  try {
    const { keys, args } = scriptInput(callbackId, limit, claim, now);
    const [remaining, existing] = await runScript(keys, args);
    clearWarnOnce("redis-admission");
    const success = remaining >= 0;
    if (limit && !success) blockedUntil.set(cacheKey, reset);
    const limited = limit ? { success, limit, remaining: Math.max(0, remaining), reset } : null;
    if (!claim) return { limit: limited, claim: null };
    if (!success && limit) return { limit: limited, claim: { status: "skipped" } };
    return { limit: limited, claim: existing === null || existing === undefined ? { status: "written" } : { status: "taken", existing } };
  } catch (error) {
    warnOnce("redis-admission", "Redis unreachable: trigger rate limits and idempotency keys are not enforced (failing open)", { error });
    return { limit: limit ? { success: true, limit, remaining: limit, reset: now + windowMs } : null, claim: claim ? { status: "unreachable" } : null };
  }
}

export async function limitTrigger(callbackId: string, limit: number, now = Date.now()): Promise<LimitResult> {
  const { limit: result } = await admitTrigger(callbackId, limit, null, now);
  return result ?? { success: true, limit, remaining: limit, reset: now + windowMs };
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

/** The callback's 429 (with `headers`, the result's own by default) when `result` refused the trigger. */
export function assertWithinLimit(result: LimitResult, headers = rateLimitHeaders(result)): void {
  if (!result.success) throw new AppError("rate_limited", "Rate limit exceeded for this callback", { headers });
}
