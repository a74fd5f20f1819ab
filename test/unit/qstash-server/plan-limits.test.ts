// The local QStash's attempt timeout when a message sets no Upstash-Timeout is the plan's Max HTTP
// Response Duration (upstash.com/pricing/qstash), not an invented 30 s that would retry a
// still-running delivery.
import { describe, expect, test } from "vitest";
import { buildDraft } from "@/scripts/qstash/options";
import { qstashPlans } from "@/scripts/qstash/plans";

function draftWith(plan: keyof typeof qstashPlans, headers: Record<string, string> = {}) {
  const { maxMessageBytes, maxResponseDurationMs } = qstashPlans[plan];
  return buildDraft({
    destination: "https://example.com/hook",
    limits: { maxMessageBytes, defaultTimeoutMs: maxResponseDurationMs },
    headers,
    body: Buffer.from("{}"),
    now: 0,
  });
}

describe("attempt timeout", () => {
  test.each([
    ["free", 15 * 60_000],
    ["payg", 2 * 3_600_000],
    ["fixed-1m", 6 * 3_600_000],
    ["fixed-10m", 12 * 3_600_000],
  ] as const)("without Upstash-Timeout, the %s plan waits %i ms for an answer", (plan, timeoutMs) => {
    expect(draftWith(plan).timeoutMs).toBe(timeoutMs);
  });

  test("an explicit Upstash-Timeout wins over the plan", () => {
    expect(draftWith("free", { "upstash-timeout": "60s" }).timeoutMs).toBe(60_000);
  });
});
