// The trigger's rate limit and idempotency claim share one Redis round trip (one script through
// the REST bridge), count exactly as @upstash/ratelimit does on the same keys, and a 429 claims
// nothing. Through the trigger route, an idempotent rate-limited trigger makes two Redis round
// trips before its 202 (cache, admission) and records its answer after it; a repeat still gets
// the first answer. Round trips are counted by a proxy in front of the bridge.
import { createHash, randomUUID } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admitTrigger } from "@/lib/ratelimit";
import { createExchangeLog, startCountingHttpProxy, type CountingHttpProxy } from "@/scripts/bench/round-trip-counter";
import { createCallback, httpDestination } from "../../support/fixtures";
import { withEnv } from "../../support/env-override";
import { useApp } from "../../support/harness";
import { useSink } from "../../support/sink";

const app = useApp();
const sink = useSink();
const log = createExchangeLog();
let proxy: CountingHttpProxy;
let redis: Redis;

beforeAll(async () => {
  const bridgeUrl = process.env.UPSTASH_REDIS_REST_URL ?? "";
  proxy = await startCountingHttpProxy("redis", bridgeUrl, log);
  redis = new Redis({ url: bridgeUrl, token: process.env.UPSTASH_REDIS_REST_TOKEN ?? "", enableAutoPipelining: false });
});

afterAll(async () => {
  await proxy.close();
});

const counted = <T>(run: () => Promise<T>) => withEnv({ UPSTASH_REDIS_REST_URL: proxy.url }, run);
const claimOf = (key: string, value: unknown) => ({ key, value, exSeconds: 60 });
const commands = () => log.exchanges.map((exchange) => exchange.label);

/** Retried when the calls straddle a minute boundary: both limiters must see one window. */
async function inOneWindow<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const minute = Math.floor(Date.now() / 60_000);
    const result = await run();
    if (Math.floor(Date.now() / 60_000) === minute) return result;
  }
  throw new Error("every attempt straddled a window boundary");
}

describe("admitTrigger against Redis through the bridge", () => {
  it("counts like @upstash/ratelimit's sliding window on the same keys: calls of either kind share one budget", async () => {
    const library = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(3, "60 s"), prefix: "sy:rl", ephemeralCache: false });
    const results = await inOneWindow(async () => {
      const callbackId = randomUUID();
      const first = await library.limit(callbackId);
      const second = await admitTrigger(callbackId, 3, null);
      const third = await library.limit(callbackId);
      const fourth = await admitTrigger(callbackId, 3, null);
      const fifth = await library.limit(callbackId);
      return [first, second.limit, third, fourth.limit, fifth];
    });
    expect(results.map((result) => result?.success)).toEqual([true, true, true, false, false]);
    expect(results.map((result) => result?.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(results[3]?.reset).toBe(results[4]?.reset);
  });

  it("claims in the same round trip as the limit; a limited trigger claims nothing and is then refused without Redis", async () => {
    await counted(() => admitTrigger(randomUUID(), 1, claimOf(`test:claim:${randomUUID()}`, { warm: true })));
    const callbackId = randomUUID();
    const [claimed, refused] = [`test:claim:${randomUUID()}`, `test:claim:${randomUUID()}`];
    log.reset();
    const allowed = await counted(() => admitTrigger(callbackId, 1, claimOf(claimed, { state: "pending", n: 1 })));
    expect(allowed).toEqual({ limit: expect.objectContaining({ success: true, remaining: 0 }), claim: { status: "written" } });
    expect(commands()).toEqual(["evalsha"]);
    await expect(redis.get(claimed)).resolves.toEqual({ state: "pending", n: 1 });

    log.reset();
    const limited = await counted(() => admitTrigger(callbackId, 1, claimOf(refused, { state: "pending" })));
    expect(limited).toEqual({ limit: expect.objectContaining({ success: false, remaining: 0 }), claim: { status: "skipped" } });
    expect(commands()).toEqual(["evalsha"]);
    await expect(redis.exists(refused)).resolves.toBe(0);
    log.reset();
    const again = await counted(() => admitTrigger(callbackId, 1, claimOf(refused, { state: "pending" })));
    expect(again.limit?.success).toBe(false);
    expect(commands()).toEqual([]);
  });

  it("hands back the record already under a taken key, in the same round trip, and leaves it as it was", async () => {
    const key = `test:claim:${randomUUID()}`;
    await counted(() => admitTrigger(randomUUID(), null, claimOf(key, { state: "done", body: { eventId: "e1" } })));
    log.reset();
    const second = await counted(() => admitTrigger(randomUUID(), null, claimOf(key, { state: "pending" })));
    expect(second).toEqual({ limit: null, claim: { status: "taken", existing: { state: "done", body: { eventId: "e1" } } } });
    expect(commands()).toEqual(["evalsha"]);
    await expect(redis.get(key)).resolves.toEqual({ state: "done", body: { eventId: "e1" } });
  });
});

interface Answer {
  eventId: string;
  deliveries: Array<{ id: string }>;
}

const claimKeyOf = (callbackId: string, key: string) => `sy:idem:${callbackId}:${createHash("sha256").update(key).digest("base64url")}`;

describe("an idempotent, rate-limited trigger", () => {
  it("makes two Redis round trips before its 202, records the answer after it, and a repeat gets that answer", async () => {
    const callback = await createCallback(app.url, { name: "admission", rateLimitPerMinute: 100, destinations: [httpDestination(`${sink.url}/admission`)] });
    const post = (key: string) => fetch(callback.triggerUrl, { method: "POST", body: '{"n":1}', headers: { "idempotency-key": key } });
    await counted(async () => (await post(`warm-${randomUUID()}`)).arrayBuffer());
    const key = `first-${randomUUID()}`;
    const { response, before, answer } = await counted(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      log.reset();
      const first = await post(key);
      const sentBefore = [...log.exchanges];
      return { response: first, before: sentBefore, answer: (await first.json()) as Answer };
    });
    expect(response.status).toBe(202);
    expect(before.map((exchange) => exchange.label)).toEqual(["mget", "evalsha"]);
    // The `done` record lands after the answer; then the repeat is answered from it.
    await expect.poll(async () => ((await redis.get<{ state: string }>(claimKeyOf(callback.id, key))) ?? { state: "absent" }).state).toBe("done");
    const repeat = await post(key);
    expect(repeat.status).toBe(202);
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect(await repeat.json()).toEqual(answer);
  });

  it("is refused with 429 once over its limit, claiming nothing for the refused key", async () => {
    const statuses = await inOneWindow(async () => {
      const callback = await createCallback(app.url, { name: "admission-limited", rateLimitPerMinute: 1, destinations: [httpDestination(`${sink.url}/limited`)] });
      const post = (key: string) => fetch(callback.triggerUrl, { method: "POST", body: "{}", headers: { "idempotency-key": key } });
      const first = await post(`a-${randomUUID()}`);
      const refusedKey = `b-${randomUUID()}`;
      const second = await post(refusedKey);
      return { first: first.status, second: second.status, retryAfter: second.headers.get("retry-after"), refusedKey, callbackId: callback.id };
    });
    expect([statuses.first, statuses.second]).toEqual([202, 429]);
    expect(Number(statuses.retryAfter)).toBeGreaterThanOrEqual(1);
    await expect(redis.exists(claimKeyOf(statuses.callbackId, statuses.refusedKey))).resolves.toBe(0);
  });
});
