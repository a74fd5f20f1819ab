// The same query suite against real PostgreSQL (through the Neon driver and the local proxy,
// on a database created fresh here) and against embedded PGlite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createDb, type DbHandle } from "@/lib/db";
import { createNeonPool, createPglitePool } from "@/lib/db/pool";
import { migrateToLatest } from "@/lib/db/migrate";
import { isUniqueViolation } from "@/lib/db/errors";
import { uuidv7 } from "@/lib/ids";
import { findCallbackByPath, findCallbackByTokenHash, insertCallback } from "@/lib/db/queries/callbacks";
import { insertDestination, listDestinationsOf, pauseByBreakerRow, recordDestinationResult, tripCircuitBreakerRow } from "@/lib/db/queries/destinations";
import { findEventById } from "@/lib/db/queries/events";
import { ensureDelivery, markDeliveryDead, progressColumns, type DeliveryProgress } from "@/lib/db/queries/deliveries";
import { listDeliveryRows, type DeliveryFilter } from "@/lib/db/queries/delivery-log";
import { findDeliveryContext } from "@/lib/db/queries/delivery-path";
import { deleteSecretRow, listSecretRows, upsertSecret } from "@/lib/db/queries/secrets";
import { testConfig } from "../../support/ports";

const { ports, databaseName } = testConfig();

/** Moves a delivery's progress columns the way recording an attempt does, to set up the reads. */
async function updateDeliveryProgress(db: DbHandle["db"], id: string, progress: DeliveryProgress): Promise<void> {
  await db.updateTable("deliveries").set(progressColumns(progress)).where("id", "=", id).execute();
}
const queryDatabase = `${databaseName}_q`;
const proxy = `127.0.0.1:${ports.wsProxy}`;

async function admin(statement: string): Promise<void> {
  const handle = createNeonPool("postgres://postgres@127.0.0.1:5432/postgres", { wsProxy: proxy, max: 1 });
  try {
    await handle.pool.query(statement);
  } finally {
    await handle.pool.end();
  }
}

const backends: Array<[string, () => Promise<DbHandle>, () => Promise<void>]> = [
  [
    "PostgreSQL via the Neon driver",
    async () => {
      await admin(`drop database if exists ${queryDatabase} with (force)`);
      await admin(`create database ${queryDatabase}`);
      return createDb(createNeonPool(`postgres://postgres@127.0.0.1:5432/${queryDatabase}`, { wsProxy: proxy, max: 3 }));
    },
    () => admin(`drop database if exists ${queryDatabase} with (force)`),
  ],
  ["PGlite", async () => createDb(createPglitePool("memory://")), async () => undefined],
];

describe.each(backends)("queries on %s", (_name, open, cleanup) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await open();
    const result = await migrateToLatest(handle.db);
    expect(result.results?.map((item) => item.status).every((status) => status === "Success")).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await handle.close();
    await cleanup();
  });

  async function newCallback(path: string | null = null) {
    return insertCallback(handle.db, {
      id: uuidv7(),
      name: "cb",
      token_hash: uuidv7().replace(/-/g, "").padEnd(64, "0"),
      token_prefix: "sy_abc",
      path,
      path_token_header: null,
      methods: ["POST", "GET"],
      rate_limit_per_minute: null,
      idempotency_header: null,
      inbound_auth: null,
      inbound_secret_enc: null,
      variables: JSON.stringify({ region: "eu" }),
    });
  }

  it("creates every table of the data model", async () => {
    const result = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(handle.db);
    const tables = result.rows.map((row) => row.table_name);
    for (const table of ["callbacks", "destinations", "events", "deliveries", "delivery_attempts", "secrets", "operators"]) {
      expect(tables).toContain(table);
    }
  });

  it("finds callbacks by token hash and by path, with array and jsonb columns intact", async () => {
    const row = await newCallback(`p-${uuidv7()}`);
    const byHash = await findCallbackByTokenHash(handle.db, row.token_hash);
    expect(byHash?.methods).toEqual(["POST", "GET"]);
    expect(byHash?.variables).toEqual({ region: "eu" });
    expect((await findCallbackByPath(handle.db, row.path ?? ""))?.id).toBe(row.id);
  });

  it("reports a duplicate custom path as a unique violation of callbacks_path_key", async () => {
    const path = `dup-${uuidv7()}`;
    await newCallback(path);
    const error = await newCallback(path).catch((caught: unknown) => caught);
    expect(isUniqueViolation(error, "callbacks_path_key")).toBe(true);
  });

  it("cascades destinations with their callback and counts failure streaks", async () => {
    const callback = await newCallback();
    const destination = await insertDestination(handle.db, {
      id: uuidv7(),
      callback_id: callback.id,
      kind: "http",
      name: "d",
      config: JSON.stringify({ url: "https://example.com" }),
      secrets_enc: null,
    });
    expect(await recordDestinationResult(handle.db, destination.id, false)).toBe(1);
    expect(await recordDestinationResult(handle.db, destination.id, false)).toBe(2);
    expect(await recordDestinationResult(handle.db, destination.id, true)).toBe(0);
    await handle.db.deleteFrom("callbacks").where("id", "=", callback.id).execute();
    expect(await listDestinationsOf(handle.db, [callback.id])).toEqual([]);
  });

  it("trips the circuit breaker by the destination's action, at its threshold, for one caller only, and never re-pauses a held one", async () => {
    const callback = await newCallback();
    const destination = (breakerAction: "disable" | "pause", failureThreshold: number | null = 3) =>
      insertDestination(handle.db, {
        id: uuidv7(),
        callback_id: callback.id,
        kind: "http",
        name: `breaker-${breakerAction}`,
        config: JSON.stringify({ url: "https://example.com" }),
        secrets_enc: null,
        failure_threshold: failureThreshold,
        breaker_action: breakerAction,
      });
    const reason = "circuit breaker: 3 consecutive failures";

    const disabling = await destination("disable");
    expect(await tripCircuitBreakerRow(handle.db, disabling.id, 2, reason)).toBeUndefined();
    expect(await pauseByBreakerRow(handle.db, disabling.id, 3)).toBeUndefined();
    const tripped = await Promise.all([3, 3, 4].map((failures) => tripCircuitBreakerRow(handle.db, disabling.id, failures, reason)));
    expect(tripped.filter((row) => row !== undefined)).toEqual([expect.objectContaining({ id: disabling.id, enabled: false, disabled_reason: reason, paused: false })]);

    const pausing = await destination("pause");
    expect(await pauseByBreakerRow(handle.db, pausing.id, 2)).toBeUndefined();
    expect(await tripCircuitBreakerRow(handle.db, pausing.id, 3, reason)).toBeUndefined();
    const paused = await Promise.all([3, 3, 4].map((failures) => pauseByBreakerRow(handle.db, pausing.id, failures)));
    expect(paused.filter((row) => row !== undefined)).toEqual([expect.objectContaining({ id: pausing.id, enabled: true, paused: true, paused_reason: "breaker" })]);

    // An operator's pause keeps its reason and time; a disabled destination or one without a threshold never trips.
    const held = await destination("pause");
    const heldAt = new Date("2026-01-02T03:04:05Z");
    await handle.db.updateTable("destinations").set({ paused: true, paused_reason: "operator", paused_at: heldAt }).where("id", "=", held.id).execute();
    expect(await pauseByBreakerRow(handle.db, held.id, 3)).toBeUndefined();
    const off = await destination("pause");
    await handle.db.updateTable("destinations").set({ enabled: false }).where("id", "=", off.id).execute();
    expect(await pauseByBreakerRow(handle.db, off.id, 3)).toBeUndefined();
    const unlimited = await destination("disable", null);
    expect(await tripCircuitBreakerRow(handle.db, unlimited.id, 1_000, reason)).toBeUndefined();
    const rows = new Map((await listDestinationsOf(handle.db, [callback.id])).map((row) => [row.id, row]));
    expect(rows.get(held.id)).toMatchObject({ paused: true, paused_reason: "operator", paused_at: heldAt });
    expect(rows.get(off.id)).toMatchObject({ enabled: false, paused: false });
    expect(rows.get(unlimited.id)).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it("writes an event once and a delivery once, however often QStash repeats", async () => {
    const eventId = uuidv7();
    const event = {
      id: eventId,
      callback_id: uuidv7(),
      received_at: new Date(),
      method: "POST",
      path: "/x",
      query: "{}",
      headers: JSON.stringify({ a: "b" }),
      body: "hi",
      body_encoding: "utf8" as const,
      body_bytes: 2,
      idempotency_key: null,
    };
    await handle.db.insertInto("events").values(event).execute();
    expect((await findEventById(handle.db, eventId))?.body).toBe("hi");
    const delivery = { id: uuidv7(), event_id: eventId, callback_id: event.callback_id, destination_id: uuidv7(), kind: "http", status: "queued" as const };
    await ensureDelivery(handle.db, delivery);
    await updateDeliveryProgress(handle.db, delivery.id, {
      status: "queued",
      attempts: 2,
      target: "t",
      lastError: "HTTP 503",
      lastStatusCode: 503,
      lastDurationMs: 5,
      qstashMessageId: "m",
    });
    const again = await ensureDelivery(handle.db, delivery);
    expect(again.attempts).toBe(2);
    expect(await markDeliveryDead(handle.db, delivery.id, "gave up")).toBe(true);
    expect(await markDeliveryDead(handle.db, delivery.id, "again")).toBe(false);
  });

  it("reads a delivery attempt's context in one statement, whichever of its rows exist", async () => {
    const callback = await newCallback();
    const destination = await insertDestination(handle.db, {
      id: uuidv7(),
      callback_id: callback.id,
      kind: "http",
      name: "d",
      config: JSON.stringify({ url: "https://example.com", headers: { "x-a": "1" } }),
      secrets_enc: "v1.sealed",
    });
    const expectedDestination = {
      id: destination.id,
      callback_id: callback.id,
      kind: "http",
      name: "d",
      config: { url: "https://example.com", headers: { "x-a": "1" } },
      secrets_enc: "v1.sealed",
      enabled: true,
      disabled_reason: null,
      transform: null,
      paused: false,
      callback_enabled: true,
      callback_paused: false,
      callback_variables: { region: "eu" },
    };
    const deliveryId = uuidv7();
    expect(await findDeliveryContext(handle.db, deliveryId, destination.id)).toEqual({ delivery: null, destination: expectedDestination });

    await ensureDelivery(handle.db, { id: deliveryId, event_id: uuidv7(), callback_id: callback.id, destination_id: destination.id, kind: "http", status: "queued" });
    const progress = { target: "https://example.com", lastError: null, lastStatusCode: 200, lastDurationMs: 3, qstashMessageId: "m" };
    await updateDeliveryProgress(handle.db, deliveryId, { ...progress, status: "succeeded", attempts: 2 });
    expect(await findDeliveryContext(handle.db, deliveryId, destination.id)).toEqual({
      delivery: { status: "succeeded", attempts: 2, target: "https://example.com" },
      destination: expectedDestination,
    });

    await handle.db.deleteFrom("destinations").where("id", "=", destination.id).execute();
    expect(await findDeliveryContext(handle.db, deliveryId, destination.id)).toEqual({
      delivery: { status: "succeeded", attempts: 2, target: "https://example.com" },
      destination: null,
    });
    expect(await findDeliveryContext(handle.db, uuidv7(), destination.id)).toEqual({ delivery: null, destination: null });
  });

  it("pages deliveries newest first by id with filters", async () => {
    const callbackId = uuidv7();
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const id = uuidv7();
      ids.push(id);
      await ensureDelivery(handle.db, {
        id,
        event_id: uuidv7(),
        callback_id: callbackId,
        destination_id: uuidv7(),
        kind: index % 2 === 0 ? "http" : "mqtt",
        status: "queued",
      });
    }
    const page = await listDeliveryRows(handle.db, { callbackId, limit: 2 });
    expect(page.map((row) => row.id)).toEqual([ids[4], ids[3]]);
    const next = await listDeliveryRows(handle.db, { callbackId, limit: 10, beforeId: ids[3] });
    expect(next.map((row) => row.id)).toEqual([ids[2], ids[1], ids[0]]);
    const mqtt = await listDeliveryRows(handle.db, { callbackId, kind: "mqtt", limit: 10 });
    expect(mqtt.map((row) => row.id)).toEqual([ids[3], ids[1]]);
  });

  it("narrows the delivery log by destination, status and id bounds, each applied, and pages newer rows oldest first", async () => {
    const callbackId = uuidv7();
    const [first, second] = [uuidv7(), uuidv7()];
    const ids: string[] = [];
    for (let index = 0; index < 6; index += 1) {
      const id = uuidv7();
      ids.push(id);
      await ensureDelivery(handle.db, { id, event_id: uuidv7(), callback_id: callbackId, destination_id: index < 3 ? first : second, kind: "http", status: "queued" });
    }
    await handle.db
      .updateTable("deliveries")
      .set({ status: "failed" })
      .where("id", "in", [ids[1] ?? "", ids[4] ?? ""])
      .execute();
    const idsOf = async (filter: Omit<DeliveryFilter, "callbackId" | "limit">) => (await listDeliveryRows(handle.db, { callbackId, limit: 10, ...filter })).map((row) => row.id);
    expect(await idsOf({ destinationId: first })).toEqual([ids[2], ids[1], ids[0]]);
    expect(await idsOf({ status: "failed" })).toEqual([ids[4], ids[1]]);
    // From a time is inclusive, to a time exclusive; both upper bounds apply, whichever is lower.
    expect(await idsOf({ fromId: ids[2], toId: ids[4] })).toEqual([ids[3], ids[2]]);
    expect(await idsOf({ beforeId: ids[2], toId: ids[5] })).toEqual([ids[1], ids[0]]);
    expect(await idsOf({ beforeId: ids[5], toId: ids[2] })).toEqual([ids[1], ids[0]]);
    expect(await idsOf({ afterId: ids[3] })).toEqual([ids[4], ids[5]]);
    expect(await idsOf({ afterId: ids[0], beforeId: ids[5], toId: ids[3], destinationId: first, status: "queued" })).toEqual([ids[2]]);
  });

  it("upserts, lists and deletes secrets by name", async () => {
    const name = `S_${uuidv7().slice(0, 8)}`;
    await upsertSecret(handle.db, name, "v1.cipher");
    const replaced = await upsertSecret(handle.db, name, "v1.other");
    expect(replaced.ciphertext).toBe("v1.other");
    expect((await listSecretRows(handle.db)).map((row) => row.name)).toContain(name);
    expect(await deleteSecretRow(handle.db, name)).toBe(true);
    expect(await deleteSecretRow(handle.db, name)).toBe(false);
  });
});
