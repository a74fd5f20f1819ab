// `npm run doctor` run for real (a separate process, like an operator runs it) against the
// integration stack: the run's PostgreSQL, the Redis bridge, the local QStash server and the
// app's routes served on APP_URL. Each failure names what is wrong and the fix, and exits 1.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Migrator } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { createNeonPool } from "@/lib/db/pool";
import { migrations } from "../../../migrations";
import { deadUrl } from "../../support/env-override";
import { useApp } from "../../support/harness";
import { completeProductionEnv } from "../../support/production-env";
import { runScript, type ScriptRun } from "../../support/run-script";
import { createScratchDatabase, type ScratchDatabase } from "../../support/scratch-database";

const checks = ["environment", "database", "redis", "qstash", "app"] as const;

function doctor(overrides: Record<string, string> = {}): Promise<ScriptRun> {
  return runScript("scripts/doctor.ts", [], { ...process.env, ...overrides });
}

function line(run: ScriptRun, check: (typeof checks)[number]): string {
  return run.stdout.split("\n").find((text) => new RegExp(`^(PASS|FAIL|SKIP)  ${check} `).test(text)) ?? `(no ${check} line in:\n${run.stdout}${run.stderr})`;
}

function expectOnlyFailing(run: ScriptRun, failing: ReadonlyArray<(typeof checks)[number]>): void {
  expect(run.code).toBe(1);
  for (const check of checks) expect(line(run, check)).toMatch(failing.includes(check) ? /^FAIL / : /^PASS /);
  for (const check of failing) expect(line(run, check)).toContain(" — fix: ");
  expect(run.stdout).toContain(`doctor: ${failing.length} of ${checks.length} checks failed`);
}

// Each run is a fresh process that loads the app's modules: seconds each on a busy machine.
describe("npm run doctor", { timeout: 90_000 }, () => {
  const app = useApp();
  const scratches: ScratchDatabase[] = [];
  afterAll(async () => {
    for (const scratch of scratches) await scratch.drop();
  });
  const scratchDatabase = async () => {
    const scratch = await createScratchDatabase();
    scratches.push(scratch);
    return scratch;
  };

  it("passes every check, one line each, and exits 0 on a well-wired environment", async () => {
    const run = await doctor({ APP_URL: app.url });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const check of checks) expect(line(run, check)).toMatch(/^PASS /);
    expect(line(run, "app")).toContain(`${app.url}/api/doctor verified a QStash-signed call`);
    expect(run.stdout).toContain("doctor: all 5 checks passed");
  });

  it("fails the Redis check on a wrong REST token", async () => {
    const run = await doctor({ UPSTASH_REDIS_REST_TOKEN: "not-the-token" });
    expectOnlyFailing(run, ["redis"]);
    expect(line(run, "redis")).toMatch(/Unauthorized.*fix: set UPSTASH_REDIS_REST_TOKEN \(or KV_REST_API_TOKEN\)/);
  });

  it("fails the QStash check on a wrong token, without printing it", async () => {
    const run = await doctor({ QSTASH_TOKEN: "wrong-qstash-token-value" });
    expectOnlyFailing(run, ["qstash"]);
    expect(line(run, "qstash")).toContain("QSTASH_TOKEN was refused (401");
    expect(run.stdout).not.toContain("wrong-qstash-token-value");
  });

  it("fails the QStash and app checks when the signing key is not the one QStash signs with", async () => {
    const run = await doctor({ QSTASH_CURRENT_SIGNING_KEY: "sig_notTheKeyQstashUses000000" });
    expectOnlyFailing(run, ["qstash", "app"]);
    expect(line(run, "qstash")).toContain("QSTASH_CURRENT_SIGNING_KEY differ from the keys QStash signs with");
    expect(line(run, "app")).toContain("refused the signature");
  });

  it("fails the app check when APP_URL points nowhere", async () => {
    const run = await doctor({ APP_URL: deadUrl });
    expectOnlyFailing(run, ["app"]);
    expect(line(run, "app")).toContain(`APP_URL did not answer at ${deadUrl}/api/doctor`);
  });

  it("fails the app check when APP_URL reaches the app under another name than the app's own APP_URL", async () => {
    const aliased = app.url.replace("127.0.0.1", "localhost");
    const run = await doctor({ APP_URL: aliased });
    expectOnlyFailing(run, ["app"]);
    expect(line(run, "app")).toContain(`the app at ${aliased}/api/doctor refused the signature`);
  });

  it("fails the database check on a database that is not migrated, naming the missing migrations", async () => {
    const scratch = await scratchDatabase();
    const run = await doctor({ DATABASE_URL: scratch.url });
    expectOnlyFailing(run, ["database"]);
    const all = Object.keys(migrations);
    expect(line(run, "database")).toContain(`DATABASE_URL is reachable but ${all.length} migration(s) are not applied: ${all.join(", ")} — fix:`);
    expect(line(run, "database")).toContain("fix: run npm run migrate");
  });

  // A deploy whose code is newer than its database: the doctor names exactly what is missing.
  it("fails the database check on a database migrated only up to 0005, naming 0006 to the latest", async () => {
    const scratch = await scratchDatabase();
    const handle = createDb(createNeonPool(scratch.url, { wsProxy: process.env.NEON_WS_PROXY }));
    try {
      const migrator = new Migrator({
        db: handle.db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: "switchyard_migrations",
        migrationLockTableName: "switchyard_migrations_lock",
      });
      expect((await migrator.migrateTo("0005_timeout_cap")).error).toBeUndefined();
    } finally {
      await handle.close();
    }
    const run = await doctor({ DATABASE_URL: scratch.url });
    expectOnlyFailing(run, ["database"]);
    const newer = Object.keys(migrations).slice(5);
    expect(newer.slice(0, 3)).toEqual(["0006_filters_transforms", "0007_hold_order_pace", "0008_handshakes"]);
    expect(line(run, "database")).toContain(`not applied: ${newer.join(", ")} — fix:`);
  });

  /** A data folder whose embedded database is held, as npm run dev holds it (the lock names a live process: this test's). */
  function heldDataDir(): string {
    const dataDir = mkdtempSync(path.join(tmpdir(), "sy-doctor-"));
    mkdirSync(path.join(dataDir, "pglite"));
    writeFileSync(path.join(dataDir, "pglite", "switchyard.lock"), String(process.pid));
    return dataDir;
  }

  it("passes beside npm run dev, which holds the embedded database open: the app at APP_URL reports on it", async () => {
    const run = await doctor({ DATABASE_URL: "", DATA_DIR: heldDataDir(), APP_URL: app.url });
    expect(run.code).toBe(0);
    expect(line(run, "database")).toBe(`PASS  database    the embedded PGlite database is open in process ${process.pid} (npm run dev); the app at APP_URL reports it migrated`);
    expect(run.stdout).toContain("doctor: all 5 checks passed");
  });

  it("skips the database and Redis beside npm run dev when the app at APP_URL cannot report, and fails only the app check", async () => {
    const noRedis = { UPSTASH_REDIS_REST_URL: "", UPSTASH_REDIS_REST_TOKEN: "", KV_REST_API_URL: "", KV_REST_API_TOKEN: "" };
    const run = await doctor({ DATABASE_URL: "", DATA_DIR: heldDataDir(), APP_URL: deadUrl, ...noRedis });
    expect(run.code).toBe(1);
    expect(line(run, "database")).toBe(`SKIP  database    the embedded PGlite database is open in process ${process.pid} (npm run dev), and the app at APP_URL did not report on it`);
    // Not "the in-process cache serves": nothing said which store the app uses.
    expect(line(run, "redis")).toBe("SKIP  redis       UPSTASH_REDIS_REST_URL is not set here, and the app at APP_URL did not report which store it uses");
    expect(line(run, "app")).toMatch(/^FAIL  app .* — fix: /);
    expect(run.stdout).toContain("doctor: 1 of 5 checks failed");
  });

  // npm run dev gives its own app the Redis bridge; a second terminal has no UPSTASH_REDIS_REST_URL.
  it("checks Redis through the app when UPSTASH_REDIS_REST_URL is not set here", async () => {
    const run = await doctor({ UPSTASH_REDIS_REST_URL: "", UPSTASH_REDIS_REST_TOKEN: "", KV_REST_API_URL: "", KV_REST_API_TOKEN: "", APP_URL: app.url });
    expect(run.code).toBe(0);
    expect(line(run, "redis")).toBe("PASS  redis       UPSTASH_REDIS_REST_URL is not set here; the app at APP_URL reports its Redis REST store answering (npm run dev's bridge)");
  });

  it("stops a production environment whose ADMIN_TOKEN, SESSION_SECRET and CRON_SECRET are under 32 characters, naming each", async () => {
    const run = await doctor({ ...completeProductionEnv, ADMIN_TOKEN: "a".repeat(31), SESSION_SECRET: "short", CRON_SECRET: "c".repeat(31) });
    expect(run.code).toBe(1);
    expect(line(run, "environment")).toMatch(/^FAIL  environment .*Too short.*ADMIN_TOKEN, SESSION_SECRET, CRON_SECRET/);
    for (const check of checks.slice(1)) expect(line(run, check)).toMatch(/^SKIP .*needs a valid environment/);
  });

  it("stops at an invalid environment, naming the variable, and skips what needs it", async () => {
    const run = await doctor({ APP_URL: "not a url" });
    expect(run.code).toBe(1);
    expect(line(run, "environment")).toMatch(/^FAIL  environment .*APP_URL/);
    for (const check of checks.slice(1)) expect(line(run, check)).toMatch(/^SKIP .*needs a valid environment/);
  });
});
