import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptionError, decryptSecret, encryptSecret } from "@/lib/crypto/encryption";

const key = randomBytes(32);

describe("AES-256-GCM sealing", () => {
  it("round-trips unicode and never contains the plaintext", () => {
    const sealed = encryptSecret("pässwörd ✓", key);
    expect(sealed).toMatch(/^v1\.[\w-]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("pässwörd");
    expect(decryptSecret(sealed, key)).toBe("pässwörd ✓");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", key)).not.toBe(encryptSecret("same", key));
  });

  it("refuses a tampered ciphertext", () => {
    const parts = encryptSecret("value", key).split(".");
    const body = Buffer.from(parts[4] ?? "", "base64url");
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString("base64url");
    expect(() => decryptSecret(parts.join("."), key)).toThrow(DecryptionError);
  });

  it("refuses another key, saying so", () => {
    expect(() => decryptSecret(encryptSecret("value", key), randomBytes(32))).toThrow(/different ENCRYPTION_KEY/);
  });

  it("refuses garbage", () => {
    expect(() => decryptSecret("plain text", key)).toThrow(DecryptionError);
  });
});
