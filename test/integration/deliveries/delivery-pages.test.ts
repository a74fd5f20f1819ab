import { describe, expect, it } from "vitest";
import { v7 } from "uuid";
import { call } from "../../support/api";
import { createCallback, httpDestination } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { loadOverview } from "@/lib/deliveries/overview";
import type { DeliveryStatus } from "@/lib/db/schema";

const app = useApp();

interface Page {
  items: Array<{ id: string }>;
  nextCursor: string | null;
  prevCursor: string | null;
}

async function seed(callbackId: string, destinationId: string, rows: Array<{ status: DeliveryStatus; durationMs: number; ageMs: number }>): Promise<string[]> {
  const now = Date.now();
  const values = rows.map((row) => {
    const at = new Date(now - row.ageMs);
    return {
      id: v7({ msecs: at.getTime() }),
      event_id: v7({ msecs: at.getTime() }),
      callback_id: callbackId,
      destination_id: destinationId,
      kind: "http",
      status: row.status,
      attempts: 1,
      target: "POST https://receiver.example/",
      last_duration_ms: row.durationMs,
      created_at: at,
      updated_at: at,
    };
  });
  await app.db.insertInto("deliveries").values(values).execute();
  return values
    .map((value) => value.id)
    .sort()
    .reverse();
}

describe("delivery log pages", () => {
  it("walks Older then Newer with keyset cursors and lands on the same rows", async () => {
    const callback = await createCallback(app.url, { name: "pages", destinations: [httpDestination("https://receiver.example/")] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const ids = await seed(
      callback.id,
      destinationId,
      Array.from({ length: 7 }, (_, index) => ({ status: "succeeded" as const, durationMs: 10, ageMs: index * 1000 })),
    );
    const get = async (query: string) => (await call<Page>(app.url, "GET", `/api/deliveries?callbackId=${callback.id}&limit=3${query}`)).body;

    const first = await get("");
    expect(first.items.map((item) => item.id)).toEqual(ids.slice(0, 3));
    expect(first.prevCursor).toBeNull();
    const second = await get(`&cursor=${first.nextCursor}`);
    expect(second.items.map((item) => item.id)).toEqual(ids.slice(3, 6));
    const last = await get(`&cursor=${second.nextCursor}`);
    expect(last.items.map((item) => item.id)).toEqual(ids.slice(6));
    expect(last.nextCursor).toBeNull();

    const backToSecond = await get(`&after=${last.prevCursor}`);
    expect(backToSecond.items.map((item) => item.id)).toEqual(ids.slice(3, 6));
    const backToFirst = await get(`&after=${backToSecond.prevCursor}`);
    expect(backToFirst.items.map((item) => item.id)).toEqual(ids.slice(0, 3));
    expect(backToFirst.prevCursor).toBeNull();
    expect(backToFirst.nextCursor).toBe(first.nextCursor);
  });
});

describe("overview", () => {
  it("counts the last 24 hours per callback, with percentiles, and puts failing destinations first", async () => {
    const callback = await createCallback(app.url, {
      name: "overview",
      destinations: [httpDestination("https://ok.example/"), { ...httpDestination("https://broken.example/"), name: "broken" }],
    });
    const [healthy, broken] = callback.destinations.map((destination) => destination.id);
    await seed(callback.id, healthy ?? "", [
      ...[10, 20, 30, 40].map((durationMs) => ({ status: "succeeded" as const, durationMs, ageMs: 60_000 })),
      { status: "succeeded", durationMs: 5, ageMs: 25 * 3_600_000 },
    ]);
    await seed(callback.id, broken ?? "", [
      { status: "failed", durationMs: 100, ageMs: 2 * 3_600_000 },
      { status: "dead", durationMs: 100, ageMs: 120_000 },
    ]);

    const overview = await loadOverview(app.db);
    const row = overview.callbacks.find((item) => item.id === callback.id);
    expect(row).toMatchObject({ total: 6, triggers: 6, succeeded: 4, failed: 1, dead: 1, successRate: 4 / 6, p50Ms: 35 });
    const failing = overview.failingDestinations;
    expect(failing.find((item) => item.id === broken)).toMatchObject({ failures: 2, total: 2, callbackName: "overview", successRate: 0 });
    expect(failing.some((item) => item.id === healthy)).toBe(false);
    expect(failing.map((item) => item.failures)).toEqual([...failing.map((item) => item.failures)].sort((a, b) => b - a));
    expect(overview.hours).toHaveLength(24);
    expect(overview.hours.reduce((sum, hour) => sum + hour.succeeded + hour.failed + hour.dead, 0)).toBeGreaterThanOrEqual(6);
  });
});
