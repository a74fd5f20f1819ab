import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery, type DeliveryDetail } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { uuidv7 } from "@/lib/ids";
import { getQstashClient } from "@/lib/qstash";
import { deliveryFor, fire } from "../../support/lifecycle";

const app = useApp();
let sink: Sink;

beforeAll(async () => {
  sink = await startSink();
});
afterEach(() => {
  vi.restoreAllMocks();
  sink.defaultStatus = 200;
});
afterAll(async () => {
  await sink.close();
});

interface ReplayAnswer {
  replayed: number;
  deliveryIds: string[];
  skipped: number;
}

const replay = (destinationId: string, body: unknown, token?: string | null) =>
  call<ReplayAnswer & { error: { code: string; field?: string } }>(app.url, "POST", `/api/destinations/${destinationId}/replay`, { body, token });

describe("bulk replay", () => {
  it("replays a destination's dead deliveries in a range to the now-healthy sink, once", async () => {
    const from = new Date().toISOString();
    sink.defaultStatus = 503;
    const callback = await createCallback(app.url, { name: "bulk", retries: 0, destinations: [httpDestination(`${sink.url}/bulk`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const dead: Array<{ id: string; eventId: string }> = [];
    for (let index = 0; index < 3; index += 1) {
      const answer = await fire(callback.triggerUrl, { index });
      const id = deliveryFor(answer, destinationId);
      expect((await waitForDelivery(app.url, id, ["dead", "failed", "succeeded"])).status).toBe("dead");
      dead.push({ id, eventId: answer.eventId });
    }
    sink.defaultStatus = 200;
    const to = new Date(Date.now() + 1_000).toISOString();

    const answer = await replay(destinationId, { status: "dead", from, to, limit: 10 });
    expect(answer.status).toBe(202);
    expect(answer.body.replayed).toBe(3);
    expect(answer.body.deliveryIds).toHaveLength(3);
    const replays: DeliveryDetail[] = [];
    for (const id of answer.body.deliveryIds) replays.push(await waitForDelivery(app.url, id, ["succeeded", "failed", "dead"]));
    expect(replays.map((detail) => detail.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    // Oldest original first, each replay of the same event.
    expect(replays.map((detail) => detail.replayOf)).toEqual(dead.map((item) => item.id));
    expect(replays.map((detail) => detail.eventId)).toEqual(dead.map((item) => item.eventId));
    const delivered = sink.requests.filter((request) => request.path === "/bulk" && answer.body.deliveryIds.includes(String(request.headers["webhook-id"])));
    // Each event went out once more (QStash runs the jobs concurrently: arrival order is free).
    const indexes = delivered.map((request) => (JSON.parse(request.body) as { request: { body: { index: number } } }).request.body.index);
    expect(indexes.sort()).toEqual([0, 1, 2]);

    // Already replayed: a repeat of the same request sends nothing again.
    const repeat = await replay(destinationId, { from, to });
    expect(repeat.body).toEqual({ replayed: 0, deliveryIds: [], skipped: 0, failed: [] });
    // The range bounds the selection.
    expect((await replay(destinationId, { from: "2020-01-01T00:00:00Z", to: from })).body.replayed).toBe(0);
  });

  it("publishes in QStash batches of at most 100 jobs and honours limit", async () => {
    const callback = await createCallback(app.url, { name: "bulk-batches", retries: 0, destinations: [httpDestination(`${sink.url}/batches`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const from = new Date().toISOString();
    const eventId = uuidv7();
    await app.db
      .insertInto("events")
      .values({
        id: eventId,
        callback_id: callback.id,
        received_at: new Date(),
        method: "POST",
        path: "/seed",
        query: "{}",
        headers: "{}",
        body: '{"seeded":true}',
        body_encoding: "utf8",
        body_bytes: 15,
      })
      .execute();
    const seeded = Array.from({ length: 105 }, () => uuidv7());
    await app.db
      .insertInto("deliveries")
      .values(seeded.map((id) => ({ id, event_id: eventId, callback_id: callback.id, destination_id: destinationId, kind: "http", status: "dead" as const, attempts: 1 })))
      .execute();
    const batchSpy = vi.spyOn(getQstashClient(), "batchJSON");

    const answer = await replay(destinationId, { from, to: new Date(Date.now() + 1_000).toISOString(), limit: 101 });
    expect(answer.body.replayed).toBe(101);
    expect(batchSpy.mock.calls.map(([jobs]) => jobs.length)).toEqual([100, 1]);
    await waitFor(
      async () => {
        const rows = await app.db.selectFrom("deliveries").select("status").where("id", "in", answer.body.deliveryIds).execute();
        return rows.length === 101 && rows.every((row) => row.status === "succeeded");
      },
      { timeoutMs: 30_000, what: "101 replays to succeed" },
    );
    expect(sink.requests.filter((request) => request.path === "/batches")).toHaveLength(101);
  });

  it("refuses bad input with 422 naming the field, unknown destinations, disabled ones and missing auth", async () => {
    const callback = await createCallback(app.url, { name: "bulk-errors", destinations: [httpDestination(`${sink.url}/errors`)] });
    const id = callback.destinations[0]?.id ?? "";
    const range = { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" };
    const cases: Array<[unknown, string]> = [
      [{ to: range.to }, "from"],
      [{ ...range, from: "yesterday" }, "from"],
      [{ ...range, limit: 1001 }, "limit"],
      [{ ...range, status: "succeeded" }, "status"],
      [{ from: range.to, to: range.from }, "to"],
    ];
    for (const [body, field] of cases) {
      const answer = await replay(id, body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error.field).toBe(field);
    }
    expect((await replay("01a22200-0000-7000-8000-000000000000", range)).status).toBe(404);
    expect((await replay(id, range, null)).status).toBe(401);
    await call(app.url, "PATCH", `/api/destinations/${id}`, { body: { enabled: false } });
    const disabled = await replay(id, range);
    expect(disabled.status).toBe(409);
    expect(disabled.body.error.code).toBe("conflict");
  });
});
