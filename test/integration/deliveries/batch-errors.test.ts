// QStash answers a batch entry by entry: one refused entry gets `{error}` while the others are
// queued. A refused entry is a failed publish: the trigger answers 503 and keeps its planned ids,
// so the retry republishes them and QStash's deduplication drops the ones already queued; replays
// report which items failed, and an entry enqueued to a FIFO queue is read the same way. The
// refusals come from the local QStash's test-only refuseEntry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@upstash/qstash";
import { devCredentials, startQstashServer, type BatchEntryView, type QstashServer } from "@/scripts/qstash-server";
import { call } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { withEnv } from "../../support/env-override";
import { startSink, type Sink } from "../../support/sink";

const app = useApp();
let sink: Sink;
let qstash: QstashServer;
/** Decides, per batch entry, whether this QStash refuses it; undefined sends everything. */
let refuse: ((job: { destinationId: string; replayOf?: string }) => boolean) | undefined;

function refuseEntry(entry: BatchEntryView): string | undefined {
  const job = JSON.parse(entry.body) as { destinationId: string; replayOf?: string };
  return refuse?.(job) ? "refused by the test: message could not be stored" : undefined;
}

beforeAll(async () => {
  sink = await startSink();
  qstash = await startQstashServer({ port: 0, backoffBaseMs: 50, refuseEntry });
});
afterAll(async () => {
  await qstash.close();
  await sink.close();
});

const throughQstash = <T>(run: () => Promise<T>) => withEnv({ QSTASH_URL: qstash.url }, run);

interface TriggerBody {
  eventId: string;
  deliveries: Array<{ id: string; destinationId: string; messageId: string }>;
}

describe("a batch with one refused entry", () => {
  it("is a 503 for the sender; the retry with the same Idempotency-Key delivers every destination exactly once", async () => {
    const callback = await createCallback(app.url, {
      name: "batch-refused",
      destinations: [httpDestination(`${sink.url}/ok`), httpDestination(`${sink.url}/refused`)],
    });
    const [kept, refused] = callback.destinations.map((destination) => destination.id);
    const post = () => fetch(callback.triggerUrl, { method: "POST", body: "{}", headers: { "idempotency-key": "batch-refused-1" } });

    refuse = (job) => job.destinationId === refused;
    const first = await throughQstash(post);
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("5");
    const error = ((await first.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("queue_unavailable");
    expect(error.message).toContain("1 of 2");

    refuse = undefined;
    const retried = await throughQstash(post);
    expect(retried.status).toBe(202);
    const answer = (await retried.json()) as TriggerBody;
    expect(answer.deliveries.every((delivery) => delivery.messageId.startsWith("msg_"))).toBe(true);
    for (const delivery of answer.deliveries) await waitForDelivery(app.url, delivery.id, ["succeeded"]);
    // The entry QStash queued the first time was deduplicated on the retry: one request each.
    expect(sink.requests.filter((request) => request.path === "/ok")).toHaveLength(1);
    expect(sink.requests.filter((request) => request.path === "/refused")).toHaveLength(1);
    const ids = answer.deliveries.map((delivery) => delivery.id);
    expect(new Set(sink.requests.filter((request) => ["/ok", "/refused"].includes(request.path)).map((request) => request.headers["webhook-id"]))).toEqual(new Set(ids));
    const rows = await app.db.selectFrom("deliveries").select(["destination_id", "status"]).where("callback_id", "=", callback.id).execute();
    expect(rows.map((row) => row.status)).toEqual(["succeeded", "succeeded"]);
    expect(new Set(rows.map((row) => row.destination_id))).toEqual(new Set([kept, refused]));
  });
});

describe("a batch entry to a FIFO queue", () => {
  it("refused, is a 503 too; the retry enqueues it once, into its destination's queue", async () => {
    const callback = await createCallback(app.url, {
      name: "batch-refused-fifo",
      destinations: [httpDestination(`${sink.url}/fifo-ok`), { ...httpDestination(`${sink.url}/fifo-refused`), name: "ordered", ordering: "fifo" }],
    });
    const ordered = callback.destinations[1]?.id ?? "";
    const post = () => fetch(callback.triggerUrl, { method: "POST", body: "{}", headers: { "idempotency-key": "batch-refused-fifo-1" } });

    refuse = (job) => job.destinationId === ordered;
    const first = await throughQstash(post);
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("5");
    expect(((await first.json()) as { error: { message: string } }).error.message).toContain("1 of 2");

    refuse = undefined;
    const retried = await throughQstash(post);
    expect(retried.status).toBe(202);
    const answer = (await retried.json()) as TriggerBody;
    for (const delivery of answer.deliveries) await waitForDelivery(app.url, delivery.id, ["succeeded"]);
    expect(sink.requests.filter((request) => request.path === "/fifo-ok")).toHaveLength(1);
    expect(sink.requests.filter((request) => request.path === "/fifo-refused")).toHaveLength(1);
    const client = new Client({ baseUrl: qstash.url, token: devCredentials.token, enableTelemetry: false, retry: false });
    expect((await client.queue().list()).map((queue) => queue.name)).toContain(`sy-dest-${ordered}`);
  });
});

describe("replays", () => {
  async function deadDeliveries(name: string, count: number) {
    const from = new Date().toISOString();
    sink.defaultStatus = 503;
    const callback = await createCallback(app.url, { name, retries: 0, destinations: [httpDestination(`${sink.url}/${name}`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const dead: string[] = [];
    try {
      for (let index = 0; index < count; index += 1) {
        const fired = await call<TriggerBody>(callback.triggerUrl, "POST", "", { body: { index }, token: null });
        const id = fired.body.deliveries[0]?.id ?? "";
        expect((await waitForDelivery(app.url, id, ["dead", "failed", "succeeded"])).status).toBe("dead");
        dead.push(id);
      }
    } finally {
      sink.defaultStatus = 200;
    }
    return { destinationId, dead, range: { from, to: new Date(Date.now() + 1_000).toISOString() } };
  }

  interface BulkAnswer {
    replayed: number;
    deliveryIds: string[];
    failed: Array<{ replayOf: string; deliveryId: string; error: string }>;
    error: { code: string; message: string };
  }

  it("bulk replay reports the items QStash refused, 503 when none went through, and a repeat replays them", async () => {
    const { destinationId, dead, range } = await deadDeliveries("bulk-refused", 2);
    const bulk = () => throughQstash(() => call<BulkAnswer>(app.url, "POST", `/api/destinations/${destinationId}/replay`, { body: range }));

    refuse = (job) => job.replayOf === dead[0];
    const partial = await bulk();
    expect(partial.status).toBe(202);
    expect(partial.body.replayed).toBe(1);
    expect(partial.body.failed).toEqual([{ replayOf: dead[0], deliveryId: expect.any(String), error: expect.stringContaining("refused by the test") }]);
    const [replayOfSecond] = partial.body.deliveryIds;
    expect((await waitForDelivery(app.url, replayOfSecond ?? "", ["succeeded", "dead"])).replayOf).toBe(dead[1]);

    const none = await bulk();
    expect(none.status).toBe(503);
    expect(none.body.error.code).toBe("queue_unavailable");
    expect(none.body.error.message).toContain("refused all 1 replays");

    refuse = undefined;
    const rest = await bulk();
    expect(rest.status).toBe(202);
    expect(rest.body).toMatchObject({ replayed: 1, failed: [] });
    expect((await waitForDelivery(app.url, rest.body.deliveryIds[0] ?? "", ["succeeded", "dead"])).replayOf).toBe(dead[0]);
  });

  it("a single replay QStash refuses is a 503 naming the refusal, and leaves no replay behind", async () => {
    const { dead } = await deadDeliveries("single-refused", 1);
    refuse = () => true;
    try {
      const answer = await throughQstash(() => call<BulkAnswer>(app.url, "POST", `/api/deliveries/${dead[0]}/replay`));
      expect(answer.status).toBe(503);
      expect(answer.body.error.message).toContain("refused by the test");
    } finally {
      refuse = undefined;
    }
    const replays = await app.db
      .selectFrom("deliveries")
      .select("id")
      .where("replay_of", "=", dead[0] ?? "")
      .execute();
    expect(replays).toEqual([]);
  });
});
