// Edge cases of inbound verification that the API tests do not reach: malformed signature
// headers never throw anything but invalid_signature, and an unreadable config fails closed.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { encryptSecret } from "@/lib/crypto/encryption";
import { resetEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { TriggerConfig } from "@/lib/triggers/callback-cache";
import { verifyInboundSignature } from "@/lib/triggers/inbound-verification";
import { triggerConfigWith } from "../../support/trigger-config";

beforeAll(() => {
  vi.stubEnv("ENCRYPTION_KEY", Buffer.alloc(32, 5).toString("base64"));
  for (const name of ["ADMIN_TOKEN", "SESSION_SECRET", "CRON_SECRET"]) vi.stubEnv(name, `unit-${name}`);
  vi.stubEnv("LOG_LEVEL", "silent");
  resetEnv();
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnv();
});

const body = new TextEncoder().encode('{"x":1}');
const secret = "unit-secret";

function configWith(inboundAuth: unknown, sealed: string | null = encryptSecret(secret)): TriggerConfig {
  return triggerConfigWith({ inboundAuth, inboundSecretEnc: sealed });
}

async function verdict(config: TriggerConfig, headers: Record<string, string>): Promise<string> {
  try {
    await verifyInboundSignature(config, new Headers(headers), body);
    return "ok";
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code;
  }
}

const sha1Hex = createHmac("sha1", secret).update(body).digest("hex");
const hmacSha1 = { type: "hmac", header: "X-Sig", algorithm: "sha1", encoding: "hex", prefix: "" };

describe("verifyInboundSignature", () => {
  it("passes without a configured preset", async () => {
    expect(await verdict(configWith(null, null), {})).toBe("ok");
  });

  it.each([
    ["the genuine digest", sha1Hex, "ok"],
    ["the genuine digest in upper case", sha1Hex.toUpperCase(), "ok"],
    ["a digest one character short", sha1Hex.slice(1), "invalid_signature"],
    ["non-hex characters", `${sha1Hex.slice(0, -2)}zz`, "invalid_signature"],
    ["a longer digest with the genuine one as prefix", `${sha1Hex}00`, "invalid_signature"],
    ["an empty value", "", "invalid_signature"],
  ])("generic HMAC: %s → %s", async (_label, value, expected) => {
    expect(await verdict(configWith(hmacSha1), { "x-sig": value })).toBe(expected);
  });

  it("base64 and base64url digests are both read", async () => {
    const digest = createHmac("sha256", secret).update(body).digest();
    const config = configWith({ ...hmacSha1, algorithm: "sha256", encoding: "base64" });
    expect(await verdict(config, { "x-sig": digest.toString("base64") })).toBe("ok");
    expect(await verdict(config, { "x-sig": digest.toString("base64url") })).toBe("ok");
  });

  it.each(["t=abc,v1=00", "v1=00", `t=${Math.floor(Date.now() / 1000)}`, `t=${Math.floor(Date.now() / 1000)},v1=`, ",,,=,"])(
    "Stripe: malformed header %s → invalid_signature",
    async (header) => {
      expect(await verdict(configWith({ type: "stripe", toleranceSeconds: 300 }), { "stripe-signature": header })).toBe("invalid_signature");
    },
  );

  it("fails closed when the stored config or secret is unreadable", async () => {
    expect(await verdict(configWith({ type: "github" }, null), {})).toBe("invalid_signature");
    expect(await verdict(configWith({ type: "martian" }), {})).toBe("invalid_signature");
  });
});
