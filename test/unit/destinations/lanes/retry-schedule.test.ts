// A destination's retry delay: each preset compiles to the Upstash-Retry-Delay expression QStash
// evaluates (milliseconds, retried = 0 before the first retry), and the preview the form shows
// gives the seconds QStash would wait before each retry.
import { describe, expect, it } from "vitest";
import { compileRetryDelay, retryDelayExpressionError, retryDelaySchema, retryDelaysPreview } from "@/lib/destinations/lanes/retry-schedule";

describe("compileRetryDelay", () => {
  it("leaves QStash's default backoff when no delay is set", () => {
    expect(compileRetryDelay(null)).toBeUndefined();
  });

  it("turns each preset into an expression in milliseconds", () => {
    expect(compileRetryDelay({ type: "fixed", baseSeconds: 2 })).toBe("2000");
    expect(compileRetryDelay({ type: "linear", baseSeconds: 1.5, capSeconds: 60 })).toBe("min(60000, 1500 * (1 + retried))");
    expect(compileRetryDelay({ type: "exponential", baseSeconds: 1, capSeconds: 30 })).toBe("min(30000, 1000 * pow(2, retried))");
    expect(compileRetryDelay({ type: "exponential", baseSeconds: 1 })).toBe("min(86400000, 1000 * pow(2, retried))");
    expect(compileRetryDelay({ type: "expression", expression: "500 * retried" })).toBe("500 * retried");
  });
});

describe("retryDelaysPreview", () => {
  it("previews each preset, capped", () => {
    expect(retryDelaysPreview({ type: "fixed", baseSeconds: 2 }, 3)).toEqual([2, 2, 2]);
    expect(retryDelaysPreview({ type: "linear", baseSeconds: 5, capSeconds: 12 }, 4)).toEqual([5, 10, 12, 12]);
    expect(retryDelaysPreview({ type: "exponential", baseSeconds: 1, capSeconds: 10 }, 5)).toEqual([1, 2, 4, 8, 10]);
  });

  it("previews QStash's default backoff, min(1 day, e^(2.5n)) for retry n", () => {
    expect(retryDelaysPreview(null, 3)).toEqual([12, 148, 1808]);
    expect(retryDelaysPreview(null, 6).slice(4)).toEqual([86_400, 86_400]);
  });

  it("evaluates an expression with retried counting from 0", () => {
    expect(retryDelaysPreview({ type: "expression", expression: "1000 * (retried + 1)" }, 3)).toEqual([1, 2, 3]);
  });

  it("previews nothing for an expression QStash would refuse, and nothing for no retries", () => {
    expect(retryDelaysPreview({ type: "expression", expression: "1000 *" }, 3)).toEqual([]);
    expect(retryDelaysPreview({ type: "fixed", baseSeconds: 1 }, 0)).toEqual([]);
  });
});

describe("retryDelaySchema", () => {
  it("refuses a cap below the base, naming capSeconds", () => {
    const parsed = retryDelaySchema.safeParse({ type: "linear", baseSeconds: 10, capSeconds: 5 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["capSeconds"]);
  });

  it("refuses an unknown type and extra fields", () => {
    expect(retryDelaySchema.safeParse({ type: "random", baseSeconds: 1 }).success).toBe(false);
    expect(retryDelaySchema.safeParse({ type: "fixed", baseSeconds: 1, jitter: true }).success).toBe(false);
    expect(retryDelaySchema.safeParse({ type: "fixed", baseSeconds: 0 }).success).toBe(false);
  });

  it("says what is wrong with an expression", () => {
    expect(retryDelayExpressionError("pow(2, retried) * 1000")).toBeUndefined();
    expect(retryDelayExpressionError("sleep(5)")).toMatch(/sleep/);
  });
});
