// Server-Timing: consecutive phases, and a parser that reads back what was written.
import { describe, expect, it } from "vitest";
import { ServerTiming, parseServerTiming } from "@/lib/http/server-timing";

describe("ServerTiming", () => {
  it("times each phase from the previous mark and reads back", async () => {
    const timing = new ServerTiming();
    await new Promise((resolve) => setTimeout(resolve, 20));
    timing.mark("read");
    timing.mark("send");
    const phases = parseServerTiming(timing.header());
    expect(Object.keys(phases)).toEqual(["read", "send"]);
    expect(phases.read).toBeGreaterThanOrEqual(15);
    expect(phases.send).toBeLessThan(phases.read ?? 0);
  });

  it("ignores entries without a duration and a missing header", () => {
    expect(parseServerTiming("cache;desc=hit, db;dur=12.5, bogus")).toEqual({ db: 12.5 });
    expect(parseServerTiming(null)).toEqual({});
  });
});
