// vercel.json names function files by glob: a route that moves (app/ ↔ pages/) must not leave a
// setting that silently matches nothing, and every cron must hit an existing route. It also
// holds the deploy rules: one region, migrations only for Production, durations that fit a send.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { maxTimeoutMs } from "@/lib/destinations/config-fields";
import { jobTimeoutSeconds } from "@/lib/qstash";
import { deployMigrationPlan } from "@/scripts/migrate";

const root = path.resolve(import.meta.dirname, "../..");
const config = JSON.parse(readFileSync(path.join(root, "vercel.json"), "utf8")) as {
  buildCommand: string;
  regions: string[];
  functions: Record<string, { maxDuration: number }>;
  crons: Array<{ path: string; schedule: string }>;
};
const scripts = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/**
 * What a delivery function needs besides the send: verify, read, record the outcome, close a
 * broker connection, and a cold start. Measured in milliseconds locally; 10 s is for a cold
 * Neon connection and a slow region on a bad day.
 */
const recordMarginMs = 10_000;

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((entry) => {
    const relative = `${dir}/${entry}`;
    return statSync(path.join(root, relative)).isDirectory() ? filesUnder(relative) : [relative];
  });
}

const sourceFiles = [...filesUnder("app"), ...filesUnder("pages")];

function globToPattern(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/\*\*\//g, "(?:.*/)?").replace(/\*/g, "[^/]*")}$`);
}

function settingFor(file: string): { maxDuration: number } | undefined {
  const glob = Object.keys(config.functions).find((candidate) => globToPattern(candidate).test(file));
  return glob === undefined ? undefined : config.functions[glob];
}

describe("vercel.json", () => {
  it.each(Object.keys(config.functions))("function setting %s matches at least one route file", (glob) => {
    expect(sourceFiles.filter((file) => globToPattern(glob).test(file))).not.toEqual([]);
  });

  it("gives the trigger and QStash routes their own durations", () => {
    const hotRoutes = sourceFiles.filter((file) => file.startsWith("pages/api/"));
    expect(hotRoutes.length).toBeGreaterThanOrEqual(5);
    expect(hotRoutes.filter((file) => settingFor(file) === undefined)).toEqual([]);
  });

  it.each(config.crons.map((cron) => cron.path))("cron %s has a route", (cronPath) => {
    expect(sourceFiles).toContain(`app${cronPath}/route.ts`);
  });

  // The delivery function and the alert function run a destination's send under its timeoutMs.
  const sendingRoutes = sourceFiles.filter((file) => /^pages\/api\/(deliver|alerts\/deliver)(\.ts|\/index\.ts)$/.test(file));

  it.each(sendingRoutes)("%s has time left to record the outcome after the longest send", (file) => {
    const maxDurationMs = (settingFor(file)?.maxDuration ?? 0) * 1_000;
    expect(maxTimeoutMs + recordMarginMs).toBeLessThanOrEqual(maxDurationMs);
  });

  // QStash ends an attempt at the job's Upstash-Timeout: cut shorter than the send, the outcome
  // would be recorded by a function QStash has already given up on, and retried over it.
  it.each(sendingRoutes)("%s: QStash's attempt timeout covers the longest send and its record, and ends with the function", (file) => {
    expect(maxTimeoutMs + recordMarginMs).toBeLessThanOrEqual(jobTimeoutSeconds * 1_000);
    expect(jobTimeoutSeconds).toBeLessThanOrEqual(settingFor(file)?.maxDuration ?? 0);
  });

  it("is the only place durations are set: no route file sets its own maxDuration", () => {
    const own = sourceFiles.filter((file) => /\bmaxDuration\b/.test(readFileSync(path.join(root, file), "utf8")));
    expect(own).toEqual([]);
  });

  it("finds both sending routes", () => {
    expect(sendingRoutes).toHaveLength(2);
  });

  it("pins the functions to one region, to sit beside the database and QStash", () => {
    expect(config.regions).toHaveLength(1);
  });

  it("builds through the Production-only migration step", () => {
    expect(config.buildCommand).toBe("npm run migrate:deploy && npm run build");
    expect(scripts["migrate:deploy"]).toBe("tsx scripts/migrate.ts --deploy");
  });
});

describe("migrations at deploy time", () => {
  it("run for a Production deployment", () => {
    expect(deployMigrationPlan("production").migrate).toBe(true);
  });

  it.each(["preview", "development", undefined] as const)("are skipped for VERCEL_ENV=%s, saying why", (vercelEnv) => {
    const plan = deployMigrationPlan(vercelEnv);
    expect(plan.migrate).toBe(false);
    expect(plan.reason).toMatch(/only Production deployments migrate/);
  });
});
