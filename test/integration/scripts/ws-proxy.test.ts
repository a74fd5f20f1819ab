// The local WebSocket→TCP proxy, driven by the real @neondatabase/serverless Pool against the
// machine's PostgreSQL.
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import type { Socket } from "node:net";
import { Pool, neonConfig } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ws from "ws";
import { startWsProxy } from "@/scripts/ws-proxy";
import type { WsProxy } from "@/scripts/ws-proxy";
import { createTerminateDetector } from "@/scripts/ws-proxy/terminate-detector";

const connectionString = "postgres://postgres@127.0.0.1:5432/postgres";
const table = `ws_proxy_test_${randomUUID().replaceAll("-", "")}`;

let proxy: WsProxy;
let pool: Pool;
let poolEnded = false;

function newPool(max = 5, url = connectionString): Pool {
  const created = new Pool({ connectionString: url, max });
  // An idle client losing its socket must fail a test through its query, not crash the worker.
  created.on("error", () => undefined);
  return created;
}

beforeAll(async () => {
  proxy = await startWsProxy({ port: 0 });
  neonConfig.webSocketConstructor = ws;
  neonConfig.wsProxy = proxy.url;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  pool = newPool();
  await pool.query(`create table ${table} (id serial primary key, note text not null)`);
});

afterAll(async () => {
  if (pool && !poolEnded) {
    await pool.query(`drop table if exists ${table}`).catch(() => undefined);
    await pool.end();
  }
  await proxy?.close();
});

/** Resolves with how the socket closed: the close code and reason the proxy sent. */
function closeOf(url: string, headers: Record<string, string> = {}): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const socket = new ws(url, { headers });
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    socket.on("unexpected-response", (_request, response) => {
      resolve({ code: response.statusCode ?? 0, reason: "http" });
      socket.terminate();
    });
    socket.on("error", reject);
  });
}

describe("the Neon driver through the proxy", () => {
  it("round-trips a query", async () => {
    const result = await pool.query<{ two: number; db: string }>("select 1 + 1 as two, current_database() as db");
    expect(result.rows).toEqual([{ two: 2, db: "postgres" }]);
  });

  it("sends parameters and receives typed values", async () => {
    const text = "héllo ✓ 😀 'quoted' \\ back";
    const result = await pool.query<{ t: string; n: number; j: unknown; missing: string | null }>("select $1::text as t, $2::int as n, $3::jsonb as j, $4::text as missing", [
      text,
      41,
      JSON.stringify({ nested: [1, "two"] }),
      null,
    ]);
    expect(result.rows[0]).toEqual({ t: text, n: 41, j: { nested: [1, "two"] }, missing: null });
  });

  it("keeps an uncommitted insert invisible to other connections and discards it on rollback", async () => {
    const client = await pool.connect();
    try {
      await client.query("begin");
      await client.query(`insert into ${table} (note) values ($1)`, ["rolled back"]);
      const inside = await client.query<{ count: string }>(`select count(*) from ${table}`);
      expect(inside.rows[0].count).toBe("1");
      const outside = await pool.query<{ count: string }>(`select count(*) from ${table}`);
      expect(outside.rows[0].count).toBe("0");
      await client.query("rollback");
    } finally {
      client.release();
    }
    const after = await pool.query<{ count: string }>(`select count(*) from ${table}`);
    expect(after.rows[0].count).toBe("0");
  });

  it("runs 20 concurrent queries over a pool of 5 connections", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => pool.query<{ i: number; pid: number }>("select $1::int as i, pg_backend_pid() as pid from pg_sleep(0.05)", [index])),
    );
    expect(results.map((result) => result.rows[0].i)).toEqual(Array.from({ length: 20 }, (_, index) => index));
    const backends = new Set(results.map((result) => result.rows[0].pid));
    expect(backends.size).toBeGreaterThan(1);
    expect(backends.size).toBeLessThanOrEqual(5);
    expect(pool.totalCount).toBeLessThanOrEqual(5);
  });

  it("also serves the function form of wsProxy with a /v1 path", async () => {
    const url = proxy.url;
    neonConfig.wsProxy = (host: string, port: number | string) => `${url}/v1?address=${host}:${port}`;
    const viaPath = newPool(1);
    try {
      const result = await viaPath.query<{ ok: boolean }>("select true as ok");
      expect(result.rows).toEqual([{ ok: true }]);
    } finally {
      await viaPath.end();
      neonConfig.wsProxy = url;
    }
  });
});

describe("refusals", () => {
  it("refuses a target host outside the allow-list, with the reason in the close frame", async () => {
    const refused = await closeOf(`ws://${proxy.url}/v1?address=10.255.255.1:5432`);
    expect(refused).toEqual({ code: 1008, reason: "target host not allowed: 10.255.255.1" });
    await expect(closeOf(`ws://${proxy.url}/v1?address=example.com:5432`)).resolves.toMatchObject({ code: 1008 });
    await expect(closeOf(`ws://${proxy.url}/v1`)).resolves.toEqual({ code: 1008, reason: "missing ?address=host:port" });

    const outsider = newPool(1, "postgres://postgres@10.255.255.1:5432/postgres");
    try {
      await expect(outsider.query("select 1")).rejects.toThrow(/Connection terminated/);
    } finally {
      await outsider.end().catch(() => undefined);
    }
  });

  it("refuses WebSockets opened by a browser page (Origin header present)", async () => {
    const fromPage = await closeOf(`ws://${proxy.url}/v1?address=127.0.0.1:5432`, { origin: "https://evil.example" });
    expect(fromPage).toEqual({ code: 403, reason: "http" });
  });

  it("closes the WebSocket with the TCP error when the target refuses the connection", async () => {
    const closed = await closeOf(`ws://${proxy.url}/v1?address=127.0.0.1:1`);
    expect(closed.code).toBe(1011);
    expect(closed.reason).toMatch(/ECONNREFUSED/);
  });
});

describe("the Terminate message", () => {
  const terminate = Buffer.from([0x58, 0, 0, 0, 4]);
  const startup = Buffer.concat([Buffer.from([0, 0, 0, 9, 0, 3, 0, 0]), Buffer.from([0])]);
  const query = Buffer.concat([Buffer.from("Q"), Buffer.from([0, 0, 0, 10]), Buffer.from("X\0\0\0\x04\0")]);

  it("is found only at a message boundary, however the bytes are split", () => {
    const stream = Buffer.concat([startup, query, terminate]);
    const whole = createTerminateDetector();
    expect(whole.clientData(stream)).toBe(true);

    const byteByByte = createTerminateDetector();
    const seenAt = [...stream].findIndex((byte) => byteByByte.clientData(Buffer.from([byte])));
    expect(seenAt).toBe(stream.length - 1);

    // The same five bytes inside a query's text are data, not a Terminate.
    expect(createTerminateDetector().clientData(Buffer.concat([startup, query]))).toBe(false);
  });

  it("makes the proxy end the TCP side, so a client that keeps its WebSocket open is still closed", async () => {
    // A target that never closes on its own: only the proxy's end() can finish the session.
    const received: Buffer[] = [];
    let targetSawEnd = false;
    const target = createServer({ allowHalfOpen: true }, (socket: Socket) => {
      socket.on("data", (chunk: Buffer) => received.push(chunk));
      socket.on("end", () => {
        targetSawEnd = true;
        socket.end();
      });
      socket.write(Buffer.from([0, 1, 2, 255]));
    });
    target.listen(0, "127.0.0.1");
    await once(target, "listening");
    const address = target.address();
    const port = address !== null && typeof address === "object" ? address.port : 0;
    const client = new ws(`ws://${proxy.url}/v1?address=127.0.0.1:${port}`);
    try {
      const fromTarget = new Promise<unknown>((resolve) => client.once("message", resolve));
      const closed = new Promise<number>((resolve) => client.once("close", resolve));
      await once(client, "open");
      for (const frame of [startup, query, terminate]) client.send(frame);
      await expect(fromTarget).resolves.toEqual(Buffer.from([0, 1, 2, 255]));
      await expect.poll(() => targetSawEnd, { timeout: 2_000, interval: 20 }).toBe(true);
      expect(Buffer.concat(received)).toEqual(Buffer.concat([startup, query, terminate]));
      await expect(closed).resolves.toBe(1000);
    } finally {
      client.terminate();
      target.close();
    }
  });

  it("ends every pool promptly and leaves the proxy with zero open sockets", async () => {
    const extra = newPool(3);
    await Promise.all([1, 2, 3].map((n) => extra.query("select $1::int as n from pg_sleep(0.02)", [n])));
    expect(extra.totalCount).toBeGreaterThan(1);
    expect(proxy.openSockets()).toBeGreaterThan(0);

    await pool.query(`drop table if exists ${table}`);
    let ended = 0;
    for (const each of [extra, pool]) void each.end().then(() => (ended += 1));
    poolEnded = true;
    await expect.poll(() => ended, { timeout: 2_000, interval: 20 }).toBe(2);
    await expect.poll(() => proxy.openSockets(), { timeout: 2_000, interval: 20 }).toBe(0);
  });
});
