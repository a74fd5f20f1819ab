import { describe, expect, it } from "vitest";
import { limitTrigger, rateLimitHeaders } from "@/lib/ratelimit";

describe("in-process rate limiter (development without Redis)", () => {
  it("allows the limit, blocks the next, and recovers as the window slides", async () => {
    const id = `cb-${Math.random()}`;
    const start = Date.UTC(2026, 0, 1, 12, 0, 0);
    for (let index = 0; index < 3; index += 1) expect((await limitTrigger(id, 3, start + index)).success).toBe(true);
    const blocked = await limitTrigger(id, 3, start + 10);
    expect(blocked.success).toBe(false);
    expect(rateLimitHeaders(blocked, start + 10)["retry-after"]).toBe("60");
    // Half-way into the next window, half of the previous window's count still weighs in.
    expect((await limitTrigger(id, 3, start + 90_000)).success).toBe(true);
    expect((await limitTrigger(id, 3, start + 90_001)).success).toBe(true);
    expect((await limitTrigger(id, 3, start + 90_002)).success).toBe(false);
    expect((await limitTrigger(id, 3, start + 180_000)).success).toBe(true);
  });
});
