// Production refuses to start with a guessable ADMIN_TOKEN, SESSION_SECRET or CRON_SECRET.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, minSecretLength, parseEnv } from "@/lib/env";
import { completeProductionEnv } from "../../support/production-env";

const long = (label: string) => `${label}-${"x".repeat(minSecretLength)}`;
const production: Record<string, string> = {
  ...completeProductionEnv,
  ADMIN_TOKEN: long("admin"),
  SESSION_SECRET: long("session"),
  CRON_SECRET: long("cron"),
};

describe("secret lengths in production", () => {
  it.each(["ADMIN_TOKEN", "SESSION_SECRET", "CRON_SECRET"])("stops the app when %s is shorter than 32 characters, naming it", (name) => {
    const source = { ...production, [name]: "y".repeat(minSecretLength - 1) };
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(new RegExp(`Too short.*${name}`));
  });

  it("accepts 32 characters exactly, and short values in development", () => {
    const exact = "z".repeat(minSecretLength);
    expect(parseEnv({ ...production, ADMIN_TOKEN: exact, SESSION_SECRET: exact, CRON_SECRET: exact }).adminToken).toBe(exact);
    expect(parseEnv({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "sy-env-")), ADMIN_TOKEN: "short", SESSION_SECRET: "short", CRON_SECRET: "short" }).adminToken).toBe("short");
  });

  it("says whether it runs on Vercel, whose edge sets the client-address header", () => {
    expect(parseEnv(production).onVercel).toBe(false);
    expect(parseEnv({ ...production, VERCEL: "1" }).onVercel).toBe(true);
  });
});
