import { describe, expect, it } from "vitest";
import { canResumeHere, describeHeld, describePausedBy, holdBadgeText, holdExplanation, sumHeld } from "@/lib/ui/hold-status";

describe("what the console says about a paused destination or callback", () => {
  it("badges a paused one with the count QStash holds, and a running one not at all", () => {
    expect(holdBadgeText({ paused: true, pausedReason: "operator", heldDeliveries: 50 })).toBe("paused · 50 held");
    expect(holdBadgeText({ paused: true, pausedReason: "breaker", heldDeliveries: 0 })).toBe("paused · 0 held");
    expect(holdBadgeText({ paused: true, pausedReason: "operator", heldDeliveries: null })).toBe("paused · held count unavailable");
    expect(holdBadgeText({ paused: true, pausedReason: "operator" })).toBe("paused · counting held…");
    expect(holdBadgeText({ paused: false, pausedReason: null, heldDeliveries: 3 })).toBeNull();
    expect(describeHeld(1)).toBe("1 held");
  });

  it("names who paused it: an operator, the circuit breaker or its callback", () => {
    expect(describePausedBy("operator")).toBe("paused by an operator");
    expect(describePausedBy("breaker")).toBe("paused by the circuit breaker");
    expect(describePausedBy("callback")).toBe("paused with its callback");
    expect(describePausedBy(null)).toBe("paused");
  });

  it("offers Resume on the destination unless the pause is its callback's, which only the callback's Resume releases", () => {
    expect(canResumeHere({ paused: true, pausedReason: "operator" })).toBe(true);
    expect(canResumeHere({ paused: true, pausedReason: "breaker" })).toBe(true);
    expect(canResumeHere({ paused: true, pausedReason: "callback" })).toBe(false);
    expect(canResumeHere({ paused: false, pausedReason: null })).toBe(false);
    expect(holdExplanation({ paused: true, pausedReason: "callback" }, "destination")).toMatch(/^Paused with its callback: .* Resume the callback to release them\.$/);
    expect(holdExplanation({ paused: true, pausedReason: "breaker" }, "destination")).toMatch(/^Paused by the circuit breaker: triggers are still accepted .*oldest first\.$/);
    expect(holdExplanation({ paused: false, pausedReason: null }, "callback")).toBe("");
  });

  it("sums a callback's held count over its destinations, unknown when any could not be read", () => {
    expect(sumHeld([3, 0, 47])).toBe(50);
    expect(sumHeld([])).toBe(0);
    expect(sumHeld([3, null, 1])).toBeNull();
    expect(sumHeld([3, undefined])).toBeUndefined();
  });
});
