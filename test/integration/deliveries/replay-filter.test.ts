import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { call, expect422, waitFor } from "../../support/api";
import { createCallback, httpDestination } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { useSink } from "../../support/sink";
import { uuidv7 } from "@/lib/ids";

const app = useApp();
const sink = useSink();

interface ReplayAnswer {
  replayed: number;
  deliveryIds: string[];
  skipped: number;
  search?: { examined: number; cutShort: boolean; resumeFrom: string | null };
}

const replay = (destinationId: string, body: unknown) => call<ReplayAnswer>(app.url, "POST", `/api/destinations/${destinationId}/replay`, { body });

/** A dead delivery of `destinationId` whose captured request carried `body` (JSON). */
async function seedDead(callbackId: string, destinationId: string, body: Record<string, unknown>): Promise<string> {
  const eventId = uuidv7();
  const text = JSON.stringify(body);
  await app.db
    .insertInto("events")
    .values({
      id: eventId,
      callback_id: callbackId,
      received_at: new Date(),
      method: "POST",
      path: "/orders",
      query: "{}",
      headers: '{"content-type":"application/json"}',
      body: text,
      body_encoding: "utf8",
      body_bytes: text.length,
      body_json: text,
    })
    .execute();
  const id = uuidv7();
  await app.db.insertInto("deliveries").values({ id, event_id: eventId, callback_id: callbackId, destination_id: destinationId, kind: "http", status: "dead", attempts: 1 }).execute();
  return id;
}

describe("selective bulk replay", () => {
  it("replays only the dead deliveries whose event matches the filter, and the receiver gets only those", async () => {
    const callback = await createCallback(app.url, { name: "replay-filter", retries: 0, destinations: [httpDestination(`${sink.url}/selective`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const from = new Date(Date.now() - 1_000).toISOString();
    const originals = new Map<string, string>();
    for (const [name, body] of Object.entries({
      eu1: { type: "order.created", region: "eu", n: 1 },
      us: { type: "order.created", region: "us", n: 2 },
      eu2: { type: "order.updated", region: "eu", n: 3 },
      eu3: { type: "order.created", region: "eu", n: 4 },
    })) {
      originals.set(await seedDead(callback.id, destinationId, body), name);
    }
    const to = new Date(Date.now() + 1_000).toISOString();

    const answer = await replay(destinationId, { from, to, filter: { body: { type: "order.created", region: { "anything-but": "us" } } } });
    expect(answer.status, answer.text).toBe(202);
    expect(answer.body.replayed).toBe(2);
    // SQL narrowed to the three order.created originals; the filter itself ruled out "us".
    expect(answer.body.search).toEqual({ examined: 3, cutShort: false, resumeFrom: null });
    const rows = await app.db.selectFrom("deliveries").select(["replay_of"]).where("id", "in", answer.body.deliveryIds).execute();
    expect(rows.map((row) => originals.get(row.replay_of ?? "")).sort()).toEqual(["eu1", "eu3"]);
    const received = await waitFor(
      async () => {
        const requests = sink.requests.filter((request) => request.path === "/selective");
        return requests.length >= 2 ? requests : undefined;
      },
      { timeoutMs: 15_000, what: "two replays at the receiver" },
    );
    const numbers = received.map((request) => (JSON.parse(request.body) as { request: { body: { n: number } } }).request.body.n);
    expect(numbers.sort()).toEqual([1, 4]);

    // eu1 and eu3 are replayed already: a second request for every "eu" original replays only eu2.
    const rest = await replay(destinationId, { from, to, filter: { body: { region: "eu" } } });
    expect(rest.body.replayed).toBe(1);
    const restRow = await app.db
      .selectFrom("deliveries")
      .select("replay_of")
      .where("id", "=", rest.body.deliveryIds[0] ?? "")
      .executeTakeFirstOrThrow();
    expect(originals.get(restRow.replay_of ?? "")).toBe("eu2");
  });

  it("answers 422 naming the place in a malformed filter, and replays nothing", async () => {
    const callback = await createCallback(app.url, { name: "replay-filter-422", destinations: [httpDestination(`${sink.url}/never`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    await seedDead(callback.id, destinationId, { type: "x" });
    const range = { from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    expect422(await replay(destinationId, { ...range, filter: { body: { type: { numeric: ["~", 1] } } } }), "filter.body.type.numeric", /numeric takes pairs/);
    expect422(await replay(destinationId, { ...range, filter: "type=x" }), "filter", /must be an object/);
    const replays = await app.db.selectFrom("deliveries").select("id").where("destination_id", "=", destinationId).where("replay_of", "is not", null).execute();
    expect(replays).toEqual([]);
  });

  it("stops at the examined cap and says where to resume; resuming there replays the match beyond it", async () => {
    const callback = await createCallback(app.url, { name: "replay-filter-cap", retries: 0, destinations: [httpDestination(`${sink.url}/cap`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const startMs = Date.now() - 600_000;
    // 10,001 dead deliveries, one per millisecond, oldest first; only the newest matches.
    await sql`
      with ids as (
        select g, ${startMs}::bigint + g as ms, lpad(to_hex(${startMs}::bigint + g), 12, '0') as h from generate_series(1, 10001) as g
      ), keyed as (
        select g, ms, (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid as event_id,
          (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid as delivery_id
        from ids
      ), new_events as (
        insert into events (id, callback_id, received_at, method, path, query, headers, body, body_encoding, body_bytes, body_json)
        select event_id, ${callback.id}::uuid, to_timestamp(ms / 1000.0), 'POST', '/cap', '{}', '{}',
          case when g = 10001 then '{"tag":"needle"}' else '{"tag":"hay"}' end, 'utf8', 16,
          case when g = 10001 then '{"tag":"needle"}' else '{"tag":"hay"}' end::jsonb
        from keyed
      )
      insert into deliveries (id, event_id, callback_id, destination_id, kind, status, attempts)
      select delivery_id, event_id, ${callback.id}::uuid, ${destinationId}::uuid, 'http', 'dead', 1 from keyed`.execute(app.db);
    const to = new Date().toISOString();
    // A suffix cannot be narrowed in SQL, so every original in the range is examined.
    const filter = { body: { tag: { suffix: "needle" } } };

    const first = await replay(destinationId, { from: new Date(startMs).toISOString(), to, filter });
    expect(first.status, first.text).toBe(202);
    expect(first.body.replayed).toBe(0);
    expect(first.body.search?.cutShort).toBe(true);
    expect(first.body.search?.examined).toBe(10_000);
    const resumeFrom = first.body.search?.resumeFrom ?? "";
    expect(Date.parse(resumeFrom)).toBe(startMs + 10_000);

    const second = await replay(destinationId, { from: resumeFrom, to, filter });
    expect(second.body.replayed).toBe(1);
    expect(second.body.search).toMatchObject({ cutShort: false, examined: 2 });
    await waitFor(async () => sink.requests.some((request) => request.path === "/cap" && request.body.includes("needle")), { what: "the needle's replay" });
  });
});
