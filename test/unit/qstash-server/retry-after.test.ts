// When a receiver says when to retry (features/retry.mdx "Retry-After Headers"): seconds, an
// RFC 1123 date or a Go duration, in any of the four documented headers; beyond a day it is
// ignored so the message's own backoff applies.
import { describe, expect, test } from "vitest";
import { retryAfterMsOf } from "@/scripts/qstash/retry-after";

const now = Date.parse("2026-06-27T12:00:00Z");

describe("retryAfterMsOf", () => {
  test.each([
    ["0", 0],
    ["10", 10_000],
    ["6m5s", 365_000],
    ["1h", 3_600_000],
    ["1.5s", 1_500],
    ["250ms", 250],
    ["1500us", 2],
    ["1500µs", 2],
    ["2000000ns", 2],
    ["Sat, 27 Jun 2026 12:00:30 GMT", 30_000],
    ["Sat, 27 Jun 2026 11:00:00 GMT", 0],
    ["86400", 86_400_000],
  ])("Retry-After: %s waits %i ms", (value, expectedMs) => {
    expect(retryAfterMsOf({ "Retry-After": [value] }, now)).toBe(expectedMs);
  });

  test.each([["86401"], ["25h"], ["soon"], ["-5"], ["5 s"]])("Retry-After: %s leaves the backoff in charge", (value) => {
    expect(retryAfterMsOf({ "Retry-After": [value] }, now)).toBeUndefined();
  });

  test("the X-RateLimit-Reset headers count too; Retry-After comes first when several are sent", () => {
    expect(retryAfterMsOf({ "X-Ratelimit-Reset": ["3"] }, now)).toBe(3_000);
    expect(retryAfterMsOf({ "X-Ratelimit-Reset-Requests": ["2s"] }, now)).toBe(2_000);
    expect(retryAfterMsOf({ "X-Ratelimit-Reset-Tokens": ["1m"] }, now)).toBe(60_000);
    expect(retryAfterMsOf({ "X-Ratelimit-Reset": ["9"], "Retry-After": ["1"] }, now)).toBe(1_000);
    expect(retryAfterMsOf({ "Content-Type": ["text/plain"] }, now)).toBeUndefined();
  });
});
