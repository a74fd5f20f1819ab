// What `npm run doctor` prints: one line per check, the fix on failures, and never a credential
// that an error message carries.
import { describe, expect, it } from "vitest";
import { describeError, fail, formatResult, formatSummary, pass, skip, withTimeout } from "@/scripts/doctor/report";

describe("doctor report", () => {
  it("prints one line per check, with the fix after a failure", () => {
    expect(formatResult(pass("redis", "works"))).toBe("PASS  redis       works");
    expect(formatResult(fail("qstash", "token refused", "copy QSTASH_TOKEN"))).toBe("FAIL  qstash      token refused — fix: copy QSTASH_TOKEN");
    expect(formatResult(skip("database", "in use"))).toBe("SKIP  database    in use");
  });

  it("sums up failures, and passes with skips said as such", () => {
    expect(formatSummary([pass("a", ""), fail("b", "", "x"), skip("c", "")])).toBe("doctor: 1 of 3 checks failed");
    expect(formatSummary([pass("a", ""), skip("c", "")])).toBe("doctor: all 1 checks passed (1 skipped)");
  });

  it("drops credentials from connection strings in error messages", () => {
    const error = new Error("cannot connect to postgres://owner:s3cret-pw@ep-x-pooler.neon.tech/db", { cause: new Error("via https://user:tok@example.com") });
    const text = describeError(error);
    expect(text).not.toContain("s3cret-pw");
    expect(text).not.toContain("tok@");
    expect(text).toContain("postgres://***@ep-x-pooler.neon.tech/db");
  });

  it("bounds a check that never answers", async () => {
    await expect(withTimeout(new Promise(() => undefined), 20, "QStash")).rejects.toThrow("QStash did not answer within 0.02 s");
  });
});
