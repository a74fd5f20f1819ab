// What a Vercel deployment gives the app instead of our own variables: the Preview's generated
// URL, the Marketplace's Upstash names, the protection bypass secret.
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, readVercelEnv } from "@/lib/env";

const onVercel: Record<string, string> = {
  VERCEL: "1",
  DATABASE_URL: "postgres://u:p@ep-x-pooler.neon.tech/db",
  QSTASH_TOKEN: "t",
  QSTASH_CURRENT_SIGNING_KEY: "sig_a",
  QSTASH_NEXT_SIGNING_KEY: "sig_b",
  ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  ADMIN_TOKEN: "admin-token-0123456789abcdef-012345",
  SESSION_SECRET: "session-secret-0123456789abcdef-0",
  CRON_SECRET: "cron-secret-0123456789abcdef-01234",
};
const upstashNames = { UPSTASH_REDIS_REST_URL: "https://ours.upstash.io", UPSTASH_REDIS_REST_TOKEN: "our-token" };
const marketplaceNames = { KV_REST_API_URL: "https://kv.upstash.io", KV_REST_API_TOKEN: "kv-token" };
const production = { ...onVercel, ...upstashNames, VERCEL_ENV: "production", APP_URL: "https://hooks.example.com" };

describe("APP_URL on Vercel", () => {
  it("falls back to the Preview deployment's own URL when unset", () => {
    const env = parseEnv({ ...onVercel, ...upstashNames, VERCEL_ENV: "preview", VERCEL_URL: "switchyard-abc123-team.vercel.app" });
    expect(env.appUrl).toBe("https://switchyard-abc123-team.vercel.app");
    expect(env.vercelEnv).toBe("preview");
  });

  it("keeps an APP_URL set for the Preview", () => {
    const env = parseEnv({ ...onVercel, ...upstashNames, VERCEL_ENV: "preview", VERCEL_URL: "x.vercel.app", APP_URL: "https://preview.example.com" });
    expect(env.appUrl).toBe("https://preview.example.com");
  });

  it("is still required in Production, where the deployment URL changes with every deploy", () => {
    const source = { ...production, APP_URL: undefined, VERCEL_URL: "switchyard-abc123-team.vercel.app" };
    expect(() => parseEnv(source)).toThrow(/Missing required environment variable\(s\): APP_URL/);
  });
});

describe("Upstash Redis names from the Vercel Marketplace", () => {
  it("accepts KV_REST_API_URL and KV_REST_API_TOKEN when UPSTASH_REDIS_REST_* are unset", () => {
    const env = parseEnv({ ...production, UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined, ...marketplaceNames });
    expect(env.redis).toEqual({ url: "https://kv.upstash.io", token: "kv-token" });
  });

  it("prefers UPSTASH_REDIS_REST_* when both are set", () => {
    expect(parseEnv({ ...production, ...marketplaceNames }).redis).toEqual({ url: "https://ours.upstash.io", token: "our-token" });
  });

  it("names both spellings when neither is set", () => {
    const source = { ...production, UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined };
    expect(() => parseEnv(source)).toThrow("Missing required environment variable(s): UPSTASH_REDIS_REST_URL (or KV_REST_API_URL), UPSTASH_REDIS_REST_TOKEN (or KV_REST_API_TOKEN)");
  });

  it("checks KV_REST_API_URL is a URL, naming it", () => {
    const source = { ...production, UPSTASH_REDIS_REST_URL: undefined, ...marketplaceNames, KV_REST_API_URL: "kv.upstash.io" };
    expect(() => parseEnv(source)).toThrow(/KV_REST_API_URL/);
  });
});

describe("Vercel deployment settings", () => {
  it("carries the automation bypass secret, unset by default", () => {
    expect(parseEnv({ ...production, VERCEL_AUTOMATION_BYPASS_SECRET: "bypass-0123" }).vercelBypassSecret).toBe("bypass-0123");
    expect(parseEnv(production).vercelBypassSecret).toBeUndefined();
  });

  it("reads VERCEL_ENV alone for the build, without demanding anything else", () => {
    expect(readVercelEnv({ VERCEL: "1", VERCEL_ENV: "preview" })).toBe("preview");
    expect(readVercelEnv({ VERCEL_ENV: "production" })).toBe("production");
    expect(readVercelEnv({})).toBeUndefined();
  });

  it("refuses an unknown VERCEL_ENV, naming it", () => {
    expect(() => readVercelEnv({ VERCEL_ENV: "staging" })).toThrow(EnvError);
    expect(() => readVercelEnv({ VERCEL_ENV: "staging" })).toThrow(/VERCEL_ENV/);
    expect(() => parseEnv({ ...production, VERCEL_ENV: "staging" })).toThrow(/VERCEL_ENV/);
  });
});
