import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, requiredInProduction } from "@/lib/env";
import { completeProductionEnv as completeProduction } from "../support/production-env";

describe("parseEnv", () => {
  it.each(requiredInProduction)("names %s when production lacks it", (name) => {
    const source = { ...completeProduction, [name]: undefined };
    expect(() => parseEnv(source)).toThrow(new RegExp(`Missing required environment variable\\(s\\): ${name}`));
  });

  it("treats VERCEL as production too", () => {
    expect(() => parseEnv({ VERCEL: "1" })).toThrow(EnvError);
  });

  it("turns the bench's baseline route on only for BENCH_MINIMAL_ROUTE=true, and never on Vercel", () => {
    expect(parseEnv({ ...completeProduction, BENCH_MINIMAL_ROUTE: "true" }).benchMinimalRoute).toBe(true);
    expect(parseEnv({ ...completeProduction, BENCH_MINIMAL_ROUTE: "true", VERCEL: "1" }).benchMinimalRoute).toBe(false);
    expect(parseEnv({ ...completeProduction, BENCH_MINIMAL_ROUTE: "false" }).benchMinimalRoute).toBe(false);
    expect(parseEnv(completeProduction).benchMinimalRoute).toBe(false);
  });

  it("accepts a complete production environment, with private destinations blocked by default", () => {
    const env = parseEnv(completeProduction);
    expect(env.production).toBe(true);
    expect(env.allowPrivateDestinations).toBe(false);
    expect(env.qstash.url).toBe("https://qstash.upstash.io");
    expect(env.encryptionKey.length).toBe(32);
  });

  it("fills development defaults and keeps generated secrets across restarts", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "sy-env-"));
    const first = parseEnv({ DATA_DIR: dataDir, PORT: "4123" });
    expect(first.appUrl).toBe("http://localhost:4123");
    expect(first.qstash.url).toBe("http://127.0.0.1:8080");
    expect(first.databaseUrl).toBeUndefined();
    expect(first.redis).toBeUndefined();
    expect(first.allowPrivateDestinations).toBe(true);
    const second = parseEnv({ DATA_DIR: dataDir });
    expect(second.adminToken).toBe(first.adminToken);
    expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
    expect(readFileSync(path.join(dataDir, "dev-secrets.json"), "utf8")).toContain(first.adminToken);
  });

  it("uses a given ADMIN_TOKEN as is", () => {
    const env = parseEnv({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "sy-env-")), ADMIN_TOKEN: "mine" });
    expect(env.adminToken).toBe("mine");
  });

  it("rejects an encryption key of the wrong size, naming the variable", () => {
    expect(() => parseEnv({ ...completeProduction, ENCRYPTION_KEY: "c2hvcnQ=" })).toThrow(/ENCRYPTION_KEY/);
  });

  it("rejects malformed values naming the variable", () => {
    expect(() => parseEnv({ ...completeProduction, APP_URL: "not a url" })).toThrow(/APP_URL/);
    expect(() => parseEnv({ ...completeProduction, ALLOW_PRIVATE_DESTINATIONS: "maybe" })).toThrow(/ALLOW_PRIVATE_DESTINATIONS/);
    expect(() => parseEnv({ ...completeProduction, RETENTION_DAYS: "0" })).toThrow(/RETENTION_DAYS/);
  });

  it("exposes only TRIGGER_VAR_* variables to templates", () => {
    const env = parseEnv({ ...completeProduction, TRIGGER_VAR_REGION: "eu", OTHER: "x" });
    expect(env.triggerVars).toEqual({ TRIGGER_VAR_REGION: "eu" });
  });
});
