// The in-process store used without Redis stays bounded: a flood of short-lived entries (random
// trigger tokens, each remembered as a 30 s miss) is swept once expired, and a hard cap holds
// even while every entry is still live.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryStore } from "@/lib/redis/memory-store";

afterEach(() => {
  vi.useRealTimers();
});

const missMarker = { missing: true };

describe("createMemoryStore", () => {
  it("sweeps expired entries on write, so a flood of 30 s misses does not accumulate", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const store = createMemoryStore();
    for (let index = 0; index < 5_000; index += 1) await store.set(`sy:cb:t:flood-a-${index}`, missMarker, { exSeconds: 30 });
    expect(store.size).toBe(5_000);
    vi.setSystemTime(Date.now() + 31_000);
    for (let index = 0; index < 10; index += 1) await store.set(`sy:cb:t:flood-b-${index}`, missMarker, { exSeconds: 30 });
    expect(store.size).toBe(10);
  });

  it("never holds more than its cap, evicting the oldest entries first", async () => {
    const store = createMemoryStore({ maxEntries: 100 });
    for (let index = 0; index < 1_000; index += 1) await store.set(`k${index}`, index, { exSeconds: 300 });
    expect(store.size).toBeLessThanOrEqual(100);
    expect(store.size).toBeGreaterThanOrEqual(90);
    const oldest = await store.getMany(...Array.from({ length: 800 }, (_, index) => `k${index}`));
    expect(oldest.every((value) => value === null)).toBe(true);
    expect(await store.getMany("k910", "k950", "k999")).toEqual([910, 950, 999]);
  });

  it("keeps a key rewritten recently over older ones when the cap evicts", async () => {
    const store = createMemoryStore({ maxEntries: 3 });
    await store.set("a", 1);
    await store.set("b", 2);
    await store.set("a", 10);
    await store.set("c", 3);
    await store.set("d", 4);
    expect(await store.getMany("a", "b", "c", "d")).toEqual([10, null, 3, 4]);
  });
});
