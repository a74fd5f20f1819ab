// Upstash Redis over REST with the configured token: one write and one read, as the app does.
import type { Env } from "@/lib/env";
import { getRedisClient } from "@/lib/redis";
import { appReport, type AppProbe } from "./app-probe";
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

/** Development without UPSTASH_REDIS_REST_URL here: npm run dev may still give its app the Redis bridge. */
async function inspectThroughApp(app: AppProbe): Promise<CheckResult> {
  const unset = "UPSTASH_REDIS_REST_URL is not set here";
  const seen = (await appReport(app))?.redis;
  if (seen && "error" in seen) return fail(name, `${unset}, and the app at APP_URL cannot reach its Redis (${seen.error})`, "read npm run dev's output: is Redis up at REDIS_URL?");
  if (seen?.kind === "upstash") return pass(name, `${unset}; the app at APP_URL reports its Redis REST store answering (npm run dev's bridge)`);
  if (!seen) return skip(name, `${unset}, and the app at APP_URL did not report which store it uses`);
  return skip(name, `${unset}: the app at APP_URL reports the in-process cache and limiter serving (development only)`);
}

export async function checkRedis(env: Env, app: AppProbe): Promise<CheckResult> {
  const client = getRedisClient();
  if (!env.redis || !client) return inspectThroughApp(app);
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
