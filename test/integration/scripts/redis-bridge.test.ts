// The local Upstash REST bridge, driven through the unmodified @upstash/redis and
// @upstash/ratelimit clients against the machine's real Redis.
import { createHash, randomUUID } from "node:crypto";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/scripts/lib/net-tools";
import { startRedisBridge } from "@/scripts/redis-bridge";
import type { RedisBridge } from "@/scripts/redis-bridge";

const token = "bridge-test-token";
const prefix = `test:redis-bridge:${randomUUID()}:`;
const key = (name: string): string => `${prefix}${name}`;

let bridge: RedisBridge;
let redis: Redis;
let redisDirect: Redis;

beforeAll(async () => {
  bridge = await startRedisBridge({ port: 0, token, log: (line) => console.error(line) });
  redis = new Redis({ url: bridge.url, token });
  redisDirect = new Redis({ url: bridge.url, token, enableAutoPipelining: false });
});

afterAll(async () => {
  if (!bridge) return;
  await deleteKeysWithPrefix(redisDirect);
  await bridge.close();
});

async function deleteKeysWithPrefix(client: Redis): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, { match: `${prefix}*`, count: 1000 });
    if (keys.length > 0) await client.del(...keys);
    cursor = String(next);
  } while (cursor !== "0");
}

async function rawCommand(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${bridge.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const fromBase64 = (value: string): string => Buffer.from(value, "base64").toString("utf8");

describe("@upstash/redis through the bridge", () => {
  it("sets with EX, reads back, counts with INCR, and the key expires", async () => {
    await expect(redisDirect.set(key("greeting"), "hello", { ex: 60 })).resolves.toBe("OK");
    await expect(redisDirect.get(key("greeting"))).resolves.toBe("hello");
    const ttl = await redisDirect.ttl(key("greeting"));
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
    await expect(redisDirect.incr(key("counter"))).resolves.toBe(1);
    await expect(redisDirect.incr(key("counter"))).resolves.toBe(2);

    await redisDirect.set(key("short-lived"), "soon gone", { ex: 1 });
    await expect(redisDirect.get(key("short-lived"))).resolves.toBe("soon gone");
    await expect.poll(() => redisDirect.get(key("short-lived")), { timeout: 5_000, interval: 100 }).toBeNull();
  });

  it("stores hashes and lists", async () => {
    await expect(redisDirect.hset(key("hash"), { name: "switchyard", kind: "webhook" })).resolves.toBe(2);
    await expect(redisDirect.hgetall(key("hash"))).resolves.toEqual({ name: "switchyard", kind: "webhook" });
    await expect(redisDirect.hget(key("hash"), "missing")).resolves.toBeNull();

    await redisDirect.rpush(key("list"), "b", "c");
    await redisDirect.lpush(key("list"), "a");
    await expect(redisDirect.lrange(key("list"), 0, -1)).resolves.toEqual(["a", "b", "c"]);
    await expect(redisDirect.lpop(key("list"))).resolves.toBe("a");
    await expect(redisDirect.llen(key("list"))).resolves.toBe(2);
  });

  it("round-trips a JSON object and unicode / control-character values", async () => {
    const document = { id: "t_1", nested: { retries: 3, enabled: true }, tags: ["a", "ü"] };
    await redisDirect.set(key("json"), document);
    await expect(redisDirect.get(key("json"))).resolves.toEqual(document);

    const awkward = 'héllo ✓ 😀 中文 \u0000\u0001\u007f tab\tnew\nline "quoted" OK';
    await redis.set(key("unicode"), awkward);
    await expect(redis.get(key("unicode"))).resolves.toBe(awkward);
    await redis.set(key("ok-value"), "OK");
    await expect(redis.lrange(key("missing-list"), 0, -1)).resolves.toEqual([]);
    await redis.rpush(key("ok-list"), "OK", awkward);
    await expect(redis.lrange(key("ok-list"), 0, -1)).resolves.toEqual(["OK", awkward]);
  });

  it("runs an explicit pipeline in order and reports a failing command by position", async () => {
    const results = await redis.pipeline().set(key("p:a"), "1").incr(key("p:a")).get(key("p:a")).hset(key("p:h"), { f: "v" }).hgetall(key("p:h")).exec();
    expect(results).toEqual(["OK", 2, 2, 1, { f: "v" }]);

    const failing = redis.pipeline().set(key("p:s"), "text").incr(key("p:s"));
    await expect(failing.exec()).rejects.toThrow(/Command 2 \[ incr \] failed: ERR value is not an integer/);
    const kept = await redis.pipeline().get(key("p:s")).incr(key("p:s")).exec({ keepErrors: true });
    expect(kept[0]).toEqual({ result: "text", error: undefined });
    expect(kept[1].error).toMatch(/^ERR value is not an integer/);
  });

  it("runs multi() atomically and answers every queued command", async () => {
    const results = await redis.multi().set(key("m:a"), "x").rpush(key("m:l"), "1", "2").lrange(key("m:l"), 0, -1).get(key("m:a")).exec();
    expect(results).toEqual(["OK", 2, [1, 2], "x"]);

    // Runtime errors inside EXEC fail only their own command; the rest is committed.
    const mixed = await redis.multi().set(key("m:b"), "text").incr(key("m:b")).get(key("m:b")).exec({ keepErrors: true });
    expect(mixed[0].result).toBe("OK");
    expect(mixed[1].error).toMatch(/^ERR value is not an integer/);
    expect(mixed[2].result).toBe("text");

    // A command Redis refuses while queueing (HSET without fields) discards the whole transaction,
    // which a plain pipeline would not: the SET before it must not land.
    const aborted = redis.multi().set(key("m:c"), "must not land").hset(key("m:h"), {}).exec();
    await expect(aborted).rejects.toThrow(/EXECABORT/);
    await expect(redisDirect.get(key("m:c"))).resolves.toBeNull();
  });

  it("evaluates Lua, including scripts with the Upstash shebang, and EVALSHA by the caller's sha1", async () => {
    await expect(redis.eval("return {KEYS[1], ARGV[1], 7}", [key("lua")], ["arg"])).resolves.toEqual([key("lua"), "arg", 7]);

    const script = "#!lua flags=allow-key-locking\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])";
    const sha = createHash("sha1").update(script).digest("hex");
    await expect(redis.evalsha(sha, [key("lua:n")], ["5"])).rejects.toThrow(/NOSCRIPT/);
    await expect(redis.eval(script, [key("lua:n")], ["5"])).resolves.toBe(5);
    await expect(redis.evalsha(sha, [key("lua:n")], ["2"])).resolves.toBe(7);
    await expect(redis.scriptLoad(script)).resolves.toBe(sha);
    await expect(redis.scriptExists(sha)).resolves.toEqual([1]);
  });

  it("batches concurrent commands into /pipeline with auto-pipelining and sends them one by one without it", async () => {
    const before = Number(Reflect.get(redis, "pipelineCounter"));
    const auto = await Promise.all([redis.set(key("ap:1"), "one"), redis.incr(key("ap:n")), redis.get(key("ap:1"))]);
    expect(auto).toEqual(["OK", 1, "one"]);
    expect(Number(Reflect.get(redis, "pipelineCounter"))).toBeGreaterThan(before);
    await expect(redis.incr(key("ap:1"))).rejects.toThrow(/ERR value is not an integer/);

    const direct = await Promise.all([redisDirect.set(key("ap:2"), "two"), redisDirect.incr(key("ap:m")), redisDirect.get(key("ap:2"))]);
    expect(direct).toEqual(["OK", 1, "two"]);
    await expect(redisDirect.incr(key("ap:2"))).rejects.toThrow(/ERR value is not an integer/);
  });

  it("refuses the blocking commands Upstash refuses over REST, at once and without touching the key", async () => {
    await redisDirect.rpush(key("queue"), "job");
    const refused = [
      ["blpop", key("queue"), 5],
      ["brpop", key("queue"), 5],
      ["brpoplpush", key("queue"), key("other"), 5],
      ["blmove", key("queue"), key("other"), "LEFT", "RIGHT", 5],
      ["blmpop", 5, 1, key("queue"), "LEFT"],
      ["bzpopmin", key("zset"), 5],
      ["bzpopmax", key("zset"), 5],
      ["bzmpop", 5, 1, key("zset"), "MIN"],
      ["xread", "BLOCK", 5000, "STREAMS", key("stream"), "$"],
      ["xreadgroup", "GROUP", "g", "c", "BLOCK", 5000, "STREAMS", key("stream"), ">"],
    ];
    const startedAt = Date.now();
    for (const command of refused) {
      const answer = await rawCommand("/", command);
      expect([command[0], answer.status]).toEqual([command[0], 400]);
      expect(answer.body).toEqual({ error: expect.stringMatching(/^ERR Command is not available: .*Blocking commands are not supported/) });
    }
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    await expect(redisDirect.exec(["blpop", key("queue"), 1])).rejects.toThrow(/not available/);
    // Refused before it reached Redis: the job is still queued, and the non-blocking forms work.
    await expect(redisDirect.lrange(key("queue"), 0, -1)).resolves.toEqual(["job"]);
    await expect(redisDirect.lpop(key("queue"))).resolves.toBe("job");
    await redisDirect.xadd(key("stream"), "*", { n: "1" });
    const streamRead = await rawCommand("/", ["xread", "COUNT", 1, "STREAMS", key("stream"), "0"]);
    expect(streamRead.status).toBe(200);
  });

  it("rejects a client with the wrong token", async () => {
    const intruder = new Redis({ url: bridge.url, token: "wrong-token", enableAutoPipelining: false, retry: false });
    await expect(intruder.get(key("greeting"))).rejects.toThrow(/Unauthorized/);
    const autoIntruder = new Redis({ url: bridge.url, token: "wrong-token", retry: false });
    await expect(autoIntruder.set(key("intruder"), "x")).rejects.toThrow(/Unauthorized/);
    await expect(redisDirect.exists(key("intruder"))).resolves.toBe(0);
  });
});

describe("@upstash/ratelimit through the bridge", () => {
  type Limiter = ReturnType<typeof Ratelimit.slidingWindow>;
  const limit = 3;

  /** Four calls inside one window; retried when the calls straddle a window boundary. */
  async function exhaust(limiter: Limiter, name: string) {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const ratelimit = new Ratelimit({ redis, limiter, ephemeralCache: false, prefix: key(`rl:${name}:${attempt}`) });
      const startedAt = Date.now();
      const results = [];
      for (let call = 0; call <= limit; call += 1) results.push(await ratelimit.limit("caller"));
      if (new Set(results.map((result) => result.reset)).size === 1) return { ratelimit, results, startedAt };
    }
    throw new Error("every attempt straddled a window boundary");
  }

  it.each([
    ["slidingWindow", Ratelimit.slidingWindow(limit, "1 s")],
    ["fixedWindow", Ratelimit.fixedWindow(limit, "1 s")],
  ])("%s allows exactly the limit, blocks with a future reset, then allows again", async (name, limiter) => {
    const { ratelimit, results, startedAt } = await exhaust(limiter, name);
    const allowed = results.slice(0, limit);
    expect(allowed.map((result) => result.success)).toEqual([true, true, true]);
    expect(allowed.map((result) => result.remaining)).toEqual([2, 1, 0]);
    // A bridge failure makes ratelimit fail open with reason "timeout"; these must be real answers.
    expect(allowed.every((result) => result.reason === undefined)).toBe(true);
    const blocked = results[limit];
    expect(blocked.success).toBe(false);
    expect(blocked.remaining).toBe(0);
    expect(blocked.reset).toBeGreaterThan(startedAt);

    await expect.poll(async () => (await ratelimit.limit("caller")).success, { timeout: 5_000, interval: 100 }).toBe(true);
  });
});

describe("the REST protocol on the wire", () => {
  it("answers 401 with the Upstash error shape without a valid bearer token", async () => {
    const response = await fetch(`${bridge.url}/`, { method: "POST", body: JSON.stringify(["ping"]) });
    expect(response.status).toBe(401);
    await expect(response.json()).resolves.toEqual({ error: "Unauthorized" });
  });

  it("answers a Redis error as 400 {error} for one command and per item in a pipeline", async () => {
    await rawCommand("/", ["set", key("raw:text"), "abc"]);
    const single = await rawCommand("/", ["incr", key("raw:text")]);
    expect(single.status).toBe(400);
    expect(single.body).toEqual({ error: "ERR value is not an integer or out of range" });

    const pipeline = await rawCommand("/pipeline", [
      ["incr", key("raw:text")],
      ["get", key("raw:text")],
    ]);
    expect(pipeline.status).toBe(200);
    expect(pipeline.body).toEqual([{ error: "ERR value is not an integer or out of range" }, { result: "abc" }]);

    const malformed = await rawCommand("/", { not: "an array" });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: expect.stringMatching(/^ERR /) });
  });

  it("base64-encodes every string but OK, keeps numbers and null, at every depth", async () => {
    const base64 = { "upstash-encoding": "base64" };
    const value = "héllo ✓";
    await expect(rawCommand("/", ["set", key("raw:v"), value], base64)).resolves.toEqual({ status: 200, body: { result: "OK" } });
    const got = await rawCommand("/", ["get", key("raw:v")], base64);
    expect(got.body).toEqual({ result: Buffer.from(value).toString("base64") });
    await expect(rawCommand("/", ["get", key("raw:none")], base64)).resolves.toEqual({ status: 200, body: { result: null } });

    const multi = await rawCommand(
      "/multi-exec",
      [
        ["rpush", key("raw:l"), "x", "OK"],
        ["lrange", key("raw:l"), 0, -1],
        ["type", key("raw:l")],
      ],
      base64,
    );
    expect(multi.status).toBe(200);
    const [pushed, range, type] = multi.body as Array<{ result: unknown }>;
    expect(pushed.result).toBe(2);
    expect((range.result as string[]).map(fromBase64)).toEqual(["x", "OK"]);
    expect(fromBase64(type.result as string)).toBe("list");

    await expect(rawCommand("/", ["get", key("raw:v")])).resolves.toEqual({ status: 200, body: { result: value } });
  });

  it("keeps arbitrary bytes intact (path form with a binary POST body)", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    const put = await fetch(`${bridge.url}/set/${encodeURIComponent(key("raw:bytes"))}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: bytes,
    });
    await expect(put.json()).resolves.toEqual({ result: "OK" });
    const got = await rawCommand("/", ["get", key("raw:bytes")], { "upstash-encoding": "base64" });
    expect(Buffer.from((got.body as { result: string }).result, "base64").equals(bytes)).toBe(true);
  });
});

describe("when Redis is unreachable", () => {
  let downBridge: RedisBridge | undefined;
  let forwarder: Server | undefined;
  const forwarded = new Set<Socket>();

  afterAll(async () => {
    await downBridge?.close();
    for (const socket of forwarded) socket.destroy();
    if (forwarder) await new Promise((resolve) => forwarder?.close(resolve));
  });

  /** A TCP hop to the real Redis, so the test controls when "Redis" comes up. */
  async function startForwarder(port: number): Promise<Server> {
    const server = createServer((client) => {
      const upstream = connect(6379, "127.0.0.1");
      for (const socket of [client, upstream]) {
        forwarded.add(socket);
        socket.on("error", () => undefined).on("close", () => forwarded.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
    return server;
  }

  it("answers 503 {error} at once, then serves again after Redis comes up", async () => {
    const port = await freePort();
    downBridge = await startRedisBridge({ port: 0, token, redisUrl: `redis://127.0.0.1:${port}` });
    const startedAt = Date.now();
    const response = await fetch(`${downBridge.url}/`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify(["get", key("down")]),
    });
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(response.status).toBe(503);
    await expect(response.json()).resolves.toMatchObject({ error: expect.stringMatching(/^ERR Redis is unavailable/) });

    forwarder = await startForwarder(port);
    const client = new Redis({ url: downBridge.url, token, enableAutoPipelining: false, retry: false });
    await expect.poll(() => client.ping().catch((error: unknown) => String(error)), { timeout: 10_000, interval: 200 }).toBe("PONG");
  });
});
