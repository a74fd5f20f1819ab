import { describe, expect, it } from "vitest";
import { generateToken, hashToken, safeEqual } from "@/lib/crypto/tokens";

describe("trigger tokens", () => {
  it("carry 256 random bits in a URL-safe form", () => {
    const tokens = new Set(Array.from({ length: 200 }, () => generateToken()));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(token).toMatch(/^sy_[A-Za-z0-9_-]{43}$/);
  });

  it("are stored as a SHA-256 hex digest", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("compare equal only when identical, whatever the lengths", () => {
    expect(safeEqual("secret", "secret")).toBe(true);
    expect(safeEqual("secret", "secreT")).toBe(false);
    expect(safeEqual("secret", "secret-longer")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
});
