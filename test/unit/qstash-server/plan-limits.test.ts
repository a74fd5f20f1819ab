// The local QStash's attempt timeout when a message sets no Upstash-Timeout is the plan's Max HTTP
// Response Duration (upstash.com/pricing/qstash), not an invented 30 s that would retry a
// still-running delivery; a delay reaches as far as the plan's Max Delay (features/delay.mdx).
import { describe, expect, test } from "vitest";
import { HttpError } from "@/scripts/qstash/http-utils";
import { buildDraft } from "@/scripts/qstash/options";
import { qstashPlans } from "@/scripts/qstash/plans";

function draftWith(plan: keyof typeof qstashPlans, headers: Record<string, string> = {}) {
  const { maxMessageBytes, maxResponseDurationMs, maxDelayMs } = qstashPlans[plan];
  return buildDraft({
    destination: "https://example.com/hook",
    limits: { maxMessageBytes, defaultTimeoutMs: maxResponseDurationMs, maxDelayMs },
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

describe("longest delay", () => {
  const day = 86_400_000;

  function refusal(run: () => unknown): { status?: number; message?: string } {
    try {
      run();
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, message: error.message };
      throw error;
    }
    return {};
  }

  test.each([
    ["free", "7d", "8d"],
    ["payg", "365d", "366d"],
  ] as const)("the %s plan takes Upstash-Delay %s and refuses %s with a 400 naming the header", (plan, longest, tooLong) => {
    expect(draftWith(plan, { "upstash-delay": longest }).notBefore).toBe(Number.parseInt(longest, 10) * day);
    expect(refusal(() => draftWith(plan, { "upstash-delay": tooLong }))).toEqual({ status: 400, message: expect.stringMatching(/^Upstash-Delay puts the message/) });
  });

  test("an Upstash-Not-Before past the cap is refused the same way", () => {
    const eightDays = String((8 * day) / 1_000);
    expect(refusal(() => draftWith("free", { "upstash-not-before": eightDays }))).toEqual({ status: 400, message: expect.stringMatching(/^Upstash-Not-Before puts the message/) });
    expect(draftWith("payg", { "upstash-not-before": eightDays }).notBefore).toBe(8 * day);
  });

  test("the fixed plans have no cap", () => {
    expect(draftWith("fixed-1m", { "upstash-delay": "3650d" }).notBefore).toBe(3650 * day);
  });
});
