// The bench's round-trip counters: the PostgreSQL proxy counts a connection's startup, each simple
// Query and each extended-protocol Sync as one exchange, through the Neon driver as the app uses
// it (WebSocket proxy → counting proxy → PostgreSQL); the HTTP proxy names Redis commands; and
// overlapping exchanges count once in the sequential depth.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "@upstash/redis";
import { createNeonPool } from "@/lib/db/pool";
import { createExchangeLog, sequentialDepth, startCountingHttpProxy, startCountingPostgresProxy, type CountingTcpProxy, type Exchange } from "@/scripts/bench/round-trip-counter";

const log = createExchangeLog();
let postgres: CountingTcpProxy;

beforeAll(async () => {
  postgres = await startCountingPostgresProxy(5432, log);
});

afterAll(async () => {
  await postgres.close();
});

describe("the counting PostgreSQL proxy", () => {
  it("counts the startup, a simple query, a parameterised query and a transaction's statements, each once", async () => {
    const { pool } = createNeonPool(`postgres://postgres@127.0.0.1:${postgres.port}/postgres`, { wsProxy: process.env.NEON_WS_PROXY ?? "", max: 1 });
    try {
      const client = await pool.connect();
      try {
        await client.query("select 1");
        await client.query("select $1::int as n", [2]);
        await client.query("begin");
        await client.query("select $1::int as n", [3]);
        await client.query("commit");
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
    expect(log.exchanges.map((exchange) => exchange.label)).toEqual(["connect", "query", "sync", "query", "sync", "query"]);
    for (const exchange of log.exchanges) expect(exchange.endedAt).toBeGreaterThanOrEqual(exchange.startedAt);
    expect(sequentialDepth(log.exchanges)).toBe(6);
  });
});

describe("the counting HTTP proxy in front of the Redis bridge", () => {
  it("logs one exchange per request, named by its command or pipeline", async () => {
    const redisLog = createExchangeLog();
    const proxy = await startCountingHttpProxy("redis", process.env.UPSTASH_REDIS_REST_URL ?? "", redisLog);
    try {
      const redis = new Redis({ url: proxy.url, token: process.env.UPSTASH_REDIS_REST_TOKEN ?? "", enableAutoPipelining: false });
      const key = `test:round-trip-counter:${Date.now()}`;
      await redis.set(key, "v", { ex: 10 });
      await redis.mget(key, `${key}:other`);
      await redis.pipeline().get(key).del(key).exec();
      expect(redisLog.exchanges.map((exchange) => exchange.label)).toEqual(["set", "mget", "pipeline(get,del)"]);
    } finally {
      await proxy.close();
    }
  });
});

describe("sequentialDepth", () => {
  const at = (startedAt: number, endedAt: number): Exchange => ({ service: "redis", label: "x", startedAt, endedAt });

  it("counts exchanges made one after another, and concurrent ones once", () => {
    expect(sequentialDepth([])).toBe(0);
    expect(sequentialDepth([at(0, 1), at(1, 2), at(3, 4)])).toBe(3);
    expect(sequentialDepth([at(0, 5), at(1, 2), at(2, 6), at(6, 7)])).toBe(2);
  });
});
