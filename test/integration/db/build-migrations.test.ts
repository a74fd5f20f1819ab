// Vercel's build command runs `npm run migrate:deploy`: a Preview build must leave the database
// alone and ask for nothing but VERCEL_ENV; a Production build migrates. Runs the real script.
import { afterEach, describe, expect, it } from "vitest";
import { migrations } from "../../../migrations";
import { runScript } from "../../support/run-script";
import { createScratchDatabase, type ScratchDatabase } from "../../support/scratch-database";

let scratch: ScratchDatabase | undefined;
afterEach(async () => {
  await scratch?.drop();
  scratch = undefined;
});

const migrationTable = (db: ScratchDatabase) =>
  db.query<{ name: string }>("select name from switchyard_migrations order by name").then(
    (rows) => rows.map((row) => row.name),
    () => null,
  );

describe("npm run migrate:deploy", () => {
  it("skips a Preview build, without any production variable, and leaves the database untouched", async () => {
    scratch = await createScratchDatabase();
    const run = await runScript("scripts/migrate.ts", ["--deploy"], {
      VERCEL: "1",
      VERCEL_ENV: "preview",
      DATABASE_URL: scratch.url,
      NEON_WS_PROXY: process.env.NEON_WS_PROXY,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Migrations skipped: VERCEL_ENV=preview: only Production deployments migrate");
    expect(await migrationTable(scratch)).toBeNull();
  });

  it("migrates a Production build", async () => {
    scratch = await createScratchDatabase();
    const run = await runScript("scripts/migrate.ts", ["--deploy"], {
      ...process.env,
      VERCEL: "1",
      VERCEL_ENV: "production",
      NODE_ENV: "production",
      DATABASE_URL: scratch.url,
      CRON_SECRET: "cron-secret-0123456789abcdef-0123456",
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Applied 0001_initial, /);
    expect(await migrationTable(scratch)).toEqual(Object.keys(migrations).sort());
  });
});
