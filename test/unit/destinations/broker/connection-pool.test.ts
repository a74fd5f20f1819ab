import { describe, expect, it } from "vitest";
import { ConnectionPool, poolKey } from "@/lib/destinations/broker/connection-pool";

interface FakeConnection {
  id: number;
  usable: boolean;
  closed: boolean;
}

function fakePool(idleMs = 30_000) {
  let opened = 0;
  const pool = new ConnectionPool<FakeConnection>(
    {
      isUsable: (connection) => connection.usable && !connection.closed,
      close: async (connection) => {
        connection.closed = true;
      },
    },
    idleMs,
  );
  const open = async (): Promise<FakeConnection> => {
    opened += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { id: opened, usable: true, closed: false };
  };
  return { pool, open, opened: () => opened };
}

const timers = () => process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;

describe("ConnectionPool", () => {
  it("hands the same connection to later deliveries and marks it reused", async () => {
    const { pool, open, opened } = fakePool();
    const first = await pool.acquire("k", open);
    pool.release("k", first.connection);
    const second = await pool.acquire("k", open);
    expect([first.reused, second.reused]).toEqual([false, true]);
    expect(second.connection).toBe(first.connection);
    expect(opened()).toBe(1);
    await pool.closeAll();
  });

  it("opens once for concurrent first deliveries", async () => {
    const { pool, open, opened } = fakePool();
    const all = await Promise.all([pool.acquire("k", open), pool.acquire("k", open), pool.acquire("k", open)]);
    expect(new Set(all.map((acquired) => acquired.connection)).size).toBe(1);
    expect(opened()).toBe(1);
    expect(pool.size()).toBe(1);
    await pool.closeAll();
  });

  it("replaces a connection that is no longer usable, closing the old one", async () => {
    const { pool, open } = fakePool();
    const first = await pool.acquire("k", open);
    pool.release("k", first.connection);
    first.connection.usable = false;
    const second = await pool.acquire("k", open);
    expect(second.reused).toBe(false);
    expect(second.connection.id).toBe(2);
    expect(first.connection.closed).toBe(true);
    expect(pool.size()).toBe(1);
    await pool.closeAll();
  });

  it("closes a connection once idle for idleMs, with a timer that does not hold the process", async () => {
    const { pool, open } = fakePool(30);
    const acquired = await pool.acquire("k", open);
    const before = timers();
    pool.release("k", acquired.connection);
    expect(timers()).toBe(before);
    await expect.poll(() => acquired.connection.closed, { timeout: 1_000 }).toBe(true);
    expect(pool.size()).toBe(0);
  });

  it("does not idle-close a connection another delivery still uses", async () => {
    const { pool, open } = fakePool(20);
    const [a, b] = await Promise.all([pool.acquire("k", open), pool.acquire("k", open)]);
    pool.release("k", a.connection);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(b.connection.closed).toBe(false);
    pool.release("k", b.connection);
    await expect.poll(() => b.connection.closed, { timeout: 1_000 }).toBe(true);
  });

  it("keys by a hash: the password never appears in the key", () => {
    const key = poolKey(["mqtt", "mqtt://broker:1883", "user", "hunter2-password"]);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain("hunter2");
    expect(poolKey(["mqtt", "mqtt://broker:1883", "user", "other"])).not.toBe(key);
  });
});
