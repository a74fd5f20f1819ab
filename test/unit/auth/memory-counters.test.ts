// Without Redis, sign-in and bearer counters live in this process: a flood of random usernames
// or addresses must not grow that map without bound.
import { describe, expect, it } from "vitest";
import { createMemoryCounters } from "@/lib/ratelimit/login-failures";

describe("in-process attempt counters", () => {
  it("count within the window and forget after it", () => {
    let now = 1_000_000;
    const counters = createMemoryCounters({ now: () => now });
    expect(counters.increment("k", 60)).toBe(1);
    expect(counters.increment("k", 60)).toBe(2);
    counters.decrement("k");
    expect(counters.read("k")).toBe(1);
    now += 60_000;
    expect(counters.read("k")).toBe(0);
    expect(counters.increment("k", 60)).toBe(1);
  });

  it("sweep expired keys on write, so a flood of random keys with a short window stays small", () => {
    let now = 0;
    const counters = createMemoryCounters({ now: () => now, sweepIntervalMs: 1_000, maxEntries: 1_000_000 });
    let largest = 0;
    for (let index = 0; index < 200_000; index += 1) {
      now += 1; // 1 ms per request: about 2 000 keys are alive at any time with a 2 s window
      counters.increment(`flood-${index}`, 2);
      largest = Math.max(largest, counters.size);
    }
    expect(largest).toBeLessThanOrEqual(3_001);
  });

  it("evict the oldest keys at the cap, however long the window", () => {
    const counters = createMemoryCounters({ maxEntries: 500 });
    for (let index = 0; index < 50_000; index += 1) counters.increment(`flood-${index}`, 900);
    expect(counters.size).toBeLessThanOrEqual(500);
    expect(counters.read("flood-49999")).toBe(1);
    expect(counters.read("flood-0")).toBe(0);
  });
});
