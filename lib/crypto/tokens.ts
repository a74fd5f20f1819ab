// Inbound trigger tokens and constant-time comparison.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 256 random bits, URL-safe: unguessable and fine inside a path segment. */
export function generateToken(prefix = "sy_"): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** Tokens are stored only as this hash; lookups go by hash so the plaintext never rests anywhere. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Compares digests so neither length nor content leaks through timing. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a, "utf8").digest();
  const right = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(left, right);
}
