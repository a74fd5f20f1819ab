// The `next` parameter after sign-in: only a path on this site survives; everything else is "/".
import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/auth/safe-next-path";

describe("safeNextPath", () => {
  it.each([
    ["/", "/"],
    ["/callbacks", "/callbacks"],
    ["/deliveries?status=failed&cursor=0190", "/deliveries?status=failed&cursor=0190"],
    ["/callbacks/0190abcd#destinations", "/callbacks/0190abcd#destinations"],
    ["/search?q=a%20b", "/search?q=a%20b"],
  ])("keeps the local path %s", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    [undefined],
    [null],
    [""],
    ["callbacks"],
    ["//evil.example"],
    ["///evil.example"],
    ["/\\evil.example"],
    ["/\\/evil.example"],
    ["\\\\evil.example"],
    ["/a\\b"],
    ["https://evil.example"],
    ["http:/evil.example"],
    ["javascript:alert(1)"],
    ["java script:alert(1)"],
    ["/%2F%2Fevil.example"],
    ["/%2f%2fevil.example"],
    ["/%5Cevil.example"],
    ["/%5C%5Cevil.example"],
    ["/%09/evil.example"],
    ["/\t/evil.example"],
    ["/\n/evil.example"],
    ["/\r\n/evil.example"],
    ["/ /evil.example"],
    ["/callbacks page"],
    ["/\u0000"],
    ["/\u007f"],
    ["/\u00a0/evil.example"],
    ["/\u2028/evil.example"],
    ["/\uff0f/evil.example"],
    ["/%E0%A4%A"],
  ])("turns %j into /", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });
});
