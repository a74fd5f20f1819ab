import { describe, expect, it } from "vitest";
import { replayBounds, utcInputToIso } from "@/lib/ui/replay-range";

const now = Date.parse("2026-01-31T12:00:00.000Z");

describe("bulk replay time range", () => {
  it("ends a preset a second after now, so a delivery made this instant is included", () => {
    expect(replayBounds({ preset: "24h" }, now)).toEqual({ from: "2026-01-30T12:00:00.000Z", to: "2026-01-31T12:00:01.000Z" });
  });

  it("reads custom datetime-local values as UTC and refuses an empty or backwards range", () => {
    expect(utcInputToIso("2026-01-31T08:15")).toBe("2026-01-31T08:15:00.000Z");
    expect(utcInputToIso("2026-01-31T08:15:30")).toBe("2026-01-31T08:15:30.000Z");
    expect(replayBounds({ preset: "custom", from: "2026-01-30T00:00", to: "2026-01-31T00:00" }, now)).toEqual({
      from: "2026-01-30T00:00:00.000Z",
      to: "2026-01-31T00:00:00.000Z",
    });
    expect(replayBounds({ preset: "custom", from: "", to: "2026-01-31T00:00" }, now)).toMatchObject({ field: "from" });
    expect(replayBounds({ preset: "custom", from: "2026-01-31T00:00", to: "2026-01-30T00:00" }, now)).toMatchObject({ field: "to" });
  });
});
