import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call } from "../../support/api";
import { useApp } from "../../support/harness";
import { withEnv } from "../../support/env-override";
import { uuidv7Floor } from "@/lib/ids";
import { pruneExpired, type PruneResult } from "@/lib/retention/prune-expired";

const app = useApp();
const dayMs = 86_400_000;
const cronSecret = "test-cron-secret-0123456789abcdef";

/** A UUIDv7 of `daysAgo` days ago, as the app would have minted then. */
function idDaysAgo(daysAgo: number): string {
  const floor = uuidv7Floor(new Date(Date.now() - daysAgo * dayMs));
  const random = randomBytes(9).toString("hex");
  return `${floor.slice(0, 14)}7${random.slice(0, 3)}-8${random.slice(3, 6)}-${random.slice(6, 18)}`;
}

const callbackId = randomUUID();
const destinationId = randomUUID();

async function seedEvent(id: string): Promise<string> {
  await app.db
    .insertInto("events")
    .values({ id, callback_id: callbackId, received_at: new Date(), method: "POST", path: "/x", query: "{}", headers: "{}", body: "{}", body_encoding: "utf8", body_bytes: 2 })
    .execute();
  return id;
}

async function seedDelivery(id: string, eventId: string, attemptIds: string[] = []): Promise<string> {
  await app.db
    .insertInto("deliveries")
    .values({ id, event_id: eventId, callback_id: callbackId, destination_id: destinationId, kind: "http", status: "succeeded", attempts: attemptIds.length, replay_of: null })
    .execute();
  for (const [index, attemptId] of attemptIds.entries()) {
    await app.db
      .insertInto("delivery_attempts")
      .values({ id: attemptId, delivery_id: id, attempt: index + 1, started_at: new Date(), duration_ms: 1, outcome: "succeeded", request: "{}" })
      .execute();
  }
  return id;
}

async function existing(table: "events" | "deliveries" | "delivery_attempts" | "alerts", ids: string[]): Promise<string[]> {
  const rows = await app.db.selectFrom(table).select("id").where("id", "in", ids).execute();
  return rows.map((row) => row.id).sort();
}

describe("retention", () => {
  it("prunes old deliveries, attempts, events and alerts in bounded batches, keeping recent rows and events a retained delivery references", async () => {
    // An old event a recent replay still points at: it must survive.
    const replayedEvent = await seedEvent(idDaysAgo(45));
    const oldEvents: string[] = [];
    const oldDeliveries: string[] = [];
    const oldAttempts: string[] = [];
    for (let index = 0; index < 7; index += 1) {
      const eventId = await seedEvent(idDaysAgo(40 - index));
      const attemptId = idDaysAgo(40 - index);
      oldEvents.push(eventId);
      oldAttempts.push(attemptId);
      oldDeliveries.push(await seedDelivery(idDaysAgo(40 - index), eventId, [attemptId]));
    }
    // Retries that straddled the cutoff: the delivery is old, its last attempt recent.
    const straddlingAttempt = idDaysAgo(29);
    const straddling = await seedDelivery(idDaysAgo(31), replayedEvent, [idDaysAgo(31), straddlingAttempt]);
    oldDeliveries.push(straddling);
    const recentEvent = await seedEvent(idDaysAgo(1));
    const recentAttempt = idDaysAgo(1);
    const recentDelivery = await seedDelivery(idDaysAgo(1), recentEvent, [recentAttempt]);
    const replay = await seedDelivery(idDaysAgo(2), replayedEvent, [idDaysAgo(2)]);
    const oldAlert = idDaysAgo(35);
    await app.db.insertInto("alerts").values({ id: oldAlert, type: "delivery.dead", payload: "{}", status: "succeeded", callback_id: callbackId, destination_id: destinationId }).execute();

    const runs: PruneResult[] = [];
    for (let run = 0; run < 50; run += 1) {
      // A zero budget means one batch of at most 3 rows per run.
      const result = await pruneExpired(app.db, { batchSize: 3, timeBudgetMs: 0 });
      runs.push(result);
      if (!result.more) break;
    }
    expect(runs.length).toBeGreaterThan(5);
    expect(runs.at(-1)?.more).toBe(false);
    for (const { deleted } of runs) {
      expect(Math.max(deleted.deliveries, deleted.events, deleted.alerts)).toBeLessThanOrEqual(3);
      // Attempts go by themselves in batches of 3, or with their delivery (at most 2 each here).
      if (deleted.deliveries === 0) expect(deleted.attempts).toBeLessThanOrEqual(3);
    }
    const total = (key: keyof PruneResult["deleted"]) => runs.reduce((sum, result) => sum + result.deleted[key], 0);
    expect(total("deliveries")).toBeGreaterThanOrEqual(8);
    expect(total("attempts")).toBeGreaterThanOrEqual(9);
    expect(total("events")).toBeGreaterThanOrEqual(7);
    expect(total("alerts")).toBeGreaterThanOrEqual(1);

    expect(await existing("deliveries", [...oldDeliveries, recentDelivery, replay])).toEqual([recentDelivery, replay].sort());
    expect(await existing("delivery_attempts", [...oldAttempts, straddlingAttempt, recentAttempt])).toEqual([recentAttempt]);
    expect(await existing("events", [...oldEvents, replayedEvent, recentEvent])).toEqual([replayedEvent, recentEvent].sort());
    expect(await existing("alerts", [oldAlert])).toEqual([]);
  });

  it("GET /api/cron/retention needs the cron secret and honours RETENTION_DAYS", async () => {
    const eventId = await seedEvent(idDaysAgo(5));
    const deliveryId = await seedDelivery(idDaysAgo(5), eventId, [idDaysAgo(5)]);
    for (const token of [null, "wrong-secret", "test-admin-token-0123456789abcdef"]) {
      const refused = await call<{ error: { code: string } }>(app.url, "GET", "/api/cron/retention", { token });
      expect(refused.status, String(token)).toBe(401);
      expect(refused.body.error.code).toBe("unauthorized");
    }
    const kept = await call<PruneResult>(app.url, "GET", "/api/cron/retention", { token: cronSecret });
    expect(kept.status).toBe(200);
    expect(kept.body.more).toBe(false);
    expect(kept.body.deleted).toEqual(expect.objectContaining({ deliveries: expect.any(Number), attempts: expect.any(Number), events: expect.any(Number) }));
    expect(await existing("deliveries", [deliveryId])).toEqual([deliveryId]);

    const pruned = await withEnv({ RETENTION_DAYS: "3" }, () => call<PruneResult>(app.url, "GET", "/api/cron/retention", { token: cronSecret }));
    expect(pruned.status).toBe(200);
    expect(pruned.body.deleted.deliveries).toBeGreaterThanOrEqual(1);
    expect(await existing("deliveries", [deliveryId])).toEqual([]);
    expect(await existing("events", [eventId])).toEqual([]);
  });
});
