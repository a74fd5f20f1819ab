// Migration 0005: timeouts saved under the old 60 s cap come down to 50 s, so those rows still
// pass their schema at delivery time; the rest is left exactly as it was.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Migrator } from "kysely";
import { createDb, type DbHandle } from "@/lib/db";
import { createNeonPool } from "@/lib/db/pool";
import { migrations } from "../../../migrations";
import { httpConfigSchema } from "@/lib/destinations/http/config";
import { createScratchDatabase, type ScratchDatabase } from "../../support/scratch-database";
import { testConfig } from "../../support/ports";

let scratch: ScratchDatabase;
let handle: DbHandle;

const migrator = (db: DbHandle["db"]) =>
  new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "switchyard_migrations",
    migrationLockTableName: "switchyard_migrations_lock",
  });

const callbackId = "0193a000-0000-7000-8000-000000000001";
const destination = (suffix: string) => `0193a000-0000-7000-8000-00000000010${suffix}`;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  handle = createDb(createNeonPool(scratch.url, { wsProxy: `127.0.0.1:${testConfig().ports.wsProxy}`, max: 1 }));
  const before = await migrator(handle.db).migrateTo("0004_operator_sessions");
  expect(before.error).toBeUndefined();
  await scratch.query(`insert into callbacks (id, name, token_hash, token_prefix, methods) values ('${callbackId}', 'cap', 'h', 'p', '{POST}')`);
  const configs = [`{"url": "https://example.com/a", "timeoutMs": 60000}`, `{"url": "https://example.com/b", "timeoutMs": 20000}`, `{"url": "https://example.com/c"}`];
  for (const [index, config] of configs.entries()) {
    await scratch.query(`insert into destinations (id, callback_id, kind, name, config) values ('${destination(String(index))}', '${callbackId}', 'http', 'd${index}', '${config}')`);
  }
  await scratch.query(`insert into settings (name, value) values ('alerts', '{"enabled": true, "retries": 3, "config": {"url": "https://example.com/alerts", "timeoutMs": 55000}}')`);
});

afterAll(async () => {
  await handle?.close();
  await scratch?.drop();
});

describe("migration 0005_timeout_cap", () => {
  it("brings timeouts above 50 s down to 50 s and leaves the others alone", async () => {
    const after = await migrator(handle.db).migrateToLatest();
    expect(after.error).toBeUndefined();
    const rows = await scratch.query<{ name: string; config: Record<string, unknown> }>("select name, config from destinations order by name");
    expect(rows.map((row) => row.config.timeoutMs)).toEqual([50_000, 20_000, undefined]);
    // The capped row is valid again under today's schema.
    expect(httpConfigSchema.safeParse(rows[0]?.config).success).toBe(true);
    const [alerts] = await scratch.query<{ value: { config: { timeoutMs: number; url: string } } }>("select value from settings where name = 'alerts'");
    expect(alerts?.value.config).toEqual({ url: "https://example.com/alerts", timeoutMs: 50_000 });
  });
});
