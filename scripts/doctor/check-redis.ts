// Upstash Redis over REST with the configured token: one write and one read, as the app does.
import type { Env } from "@/lib/env";
import { getRedisClient } from "@/lib/redis";
import { describeError, fail, pass, skip, withTimeout, type CheckResult } from "./report";

const name = "redis";
const probeKey = "sy:doctor";

function fixFor(message: string): string {
  if (/NOPERM|read.?only/i.test(message)) return "use the database's standard REST token, not the read-only one";
  if (/unauthori[sz]ed|WRONGPASS|401|invalid.*token/i.test(message)) {
    return "set UPSTASH_REDIS_REST_TOKEN (or KV_REST_API_TOKEN) to the REST token of the database at UPSTASH_REDIS_REST_URL";
  }
  return "check UPSTASH_REDIS_REST_URL (or KV_REST_API_URL): the database's REST URL, https://…upstash.io";
}

export async function checkRedis(env: Env): Promise<CheckResult> {
  const client = getRedisClient();
  if (!env.redis || !client) return skip(name, "UPSTASH_REDIS_REST_URL is not set: the in-process cache and limiter serve (development only)");
  try {
    const written = String(Date.now());
    await withTimeout(client.set(probeKey, written, { ex: 60 }), 10_000, "Upstash Redis");
    const read = await withTimeout(client.get<string>(probeKey), 10_000, "Upstash Redis");
    if (String(read) !== written) return fail(name, "a value written was not read back", "point UPSTASH_REDIS_REST_URL at one Upstash database, not a replica");
    return pass(name, `the REST token can write and read at ${new URL(env.redis.url).host}`);
  } catch (error) {
    const message = describeError(error);
    return fail(name, `the REST call failed: ${message}`, fixFor(message));
  }
}
