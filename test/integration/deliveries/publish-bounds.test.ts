// Publishing to QStash is bounded in time and its failures are classified: passing trouble is a
// 503 the sender retries; a deployment fault is a 500 with an operator log line, and /api/health
// names it. Every job carries its retry budget and an explicit Upstash-Timeout, and a callback's
// fan-out (at most 100 enabled destinations, however many requests add them at once) goes out in one
// batch call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startQstashServer } from "@/scripts/qstash-server";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { capturingLogs } from "../../support/app-logs";
import { withEnv } from "../../support/env-override";
import { startQstashFault, type FaultMode, type QstashFault } from "../../support/qstash-fault";
import { startSink, type Sink } from "../../support/sink";
import { startSilentServer } from "../../support/silent-server";
import { devQstash } from "../../support/ports";
import { createDb, type Database, type DbHandle } from "@/lib/db";
import { createNeonPool, createPglitePool } from "@/lib/db/pool";
import { migrateToLatest } from "@/lib/db/migrate";
import { createCallback as createCallbackIn } from "@/lib/callbacks/manage-callbacks";
import { callbackCreateSchema } from "@/lib/callbacks/callback-input";
import { createDestination, reenableDestination, updateDestination } from "@/lib/destinations/manage-destinations";
import { destinationInputSchema } from "@/lib/destinations/destination-input";
import { AppError } from "@/lib/errors";

const app = useApp();
let sink: Sink;
let triggerUrl: string;

beforeAll(async () => {
  sink = await startSink();
  triggerUrl = (await createCallback(app.url, { name: "bounds", destinations: [httpDestination(`${sink.url}/bounds`)] })).triggerUrl;
});
afterAll(async () => {
  await sink.close();
});

interface Health {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

const health = () => call<Health>(app.url, "GET", "/api/health", { token: null });

async function throughFront<T>(mode: FaultMode, run: (front: QstashFault) => Promise<T>): Promise<T> {
  const front = await startQstashFault(mode);
  try {
    return await withEnv({ QSTASH_URL: front.url }, () => run(front));
  } finally {
    await front.close();
  }
}

describe("a QStash that is down, hung or busy: 503 with Retry-After", () => {
  it("a QStash that accepts the connection and never answers gives the sender 503 within about 5 s", async () => {
    const hung = await startSilentServer();
    try {
      const url = `http://127.0.0.1:${hung.port}`;
      const startedAt = Date.now();
      const answer = await withEnv({ QSTASH_URL: url }, () => fetch(triggerUrl, { method: "POST", body: "{}" }));
      const elapsedMs = Date.now() - startedAt;
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toBe("5");
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("queue_unavailable");
      // Well before the trigger function's 15 s limit.
      expect(elapsedMs).toBeGreaterThanOrEqual(4_900);
      expect(elapsedMs).toBeLessThan(7_000);
      expect(hung.connections).toBeGreaterThan(0);
    } finally {
      await hung.close();
    }
  });

  it.each([
    ["a burst 429", { status: 429, headers: { "Burst-RateLimit-Limit": "100", "Burst-RateLimit-Remaining": "0", "Burst-RateLimit-Reset": "1" } }],
    ["a 500", { status: 500 }],
    ["a 502", { status: 502 }],
  ] as const)("%s from QStash is a 503 with Retry-After, and health stays green", async (_name, mode) => {
    await throughFront(mode, async () => {
      const answer = await fetch(triggerUrl, { method: "POST", body: "{}" });
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toBe("5");
      expect((await health()).body.checks.qstash).toEqual({ ok: true });
    });
  });
});

describe("a deployment fault: 500, an operator log line, and a failing /api/health", () => {
  async function expectOperatorFault(answer: Response, lines: string[], cause: RegExp): Promise<void> {
    expect(answer.status).toBe(500);
    expect(answer.headers.get("retry-after")).toBeNull();
    const body = (await answer.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("queue_misconfigured");
    // The SDK prints its own "[Upstash QStash] …" lines; the app's are JSON.
    const logged = lines
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level: string; msg: string })
      .find((line) => line.level === "error" && cause.test(line.msg));
    expect(logged?.msg).toMatch(/Fix: /);
    expect(lines.join("\n")).not.toContain(devQstash.token);
    const report = await health();
    expect(report.status).toBe(503);
    expect(report.body.checks.qstash?.ok).toBe(false);
    expect(report.body.checks.qstash?.detail).toMatch(cause);
  }

  it("a wrong token (401)", async () => {
    await withEnv({ QSTASH_TOKEN: "not-the-token" }, async () => {
      const { result, lines } = await capturingLogs(() => fetch(triggerUrl, { method: "POST", body: "{}" }));
      await expectOperatorFault(result, lines, /refused the token \(401\).*QSTASH_TOKEN/s);
    });
    // With the right token again (what a fixed deployment has), health is green.
    expect((await health()).body.checks.qstash).toEqual({ ok: true });
  });

  it.each([
    ["a wrong region (403)", 403, /refused the token \(403\)/],
    ["a 400", 400, /refused the publish \(400\)/],
    ["a 413", 413, /too large for the plan \(413\)/],
  ] as const)("%s", async (_name, status, cause) => {
    await throughFront({ status }, async () => {
      const { result, lines } = await capturingLogs(() => fetch(triggerUrl, { method: "POST", body: "{}" }));
      await expectOperatorFault(result, lines, cause);
      // The next publish that goes through clears it (on this instance and for the others).
    });
  });

  it("an exhausted daily quota", async () => {
    const quotaLess = await startQstashServer({ port: 0, dailyMessageQuota: 0 });
    try {
      await withEnv({ QSTASH_URL: quotaLess.url }, async () => {
        const { result, lines } = await capturingLogs(() => fetch(triggerUrl, { method: "POST", body: "{}" }));
        await expectOperatorFault(result, lines, /daily message quota exhausted/);
      });
    } finally {
      await quotaLess.close();
    }
  });

  it("a publish that goes through afterwards turns health green again", async () => {
    await throughFront({ status: 401 }, async () => {
      await capturingLogs(() => fetch(triggerUrl, { method: "POST", body: "{}" }));
      expect((await health()).body.checks.qstash?.ok).toBe(false);
    });
    // Same URL and token as the refused call, now answered by the real local QStash.
    await throughFront("forward", async () => {
      expect((await fetch(triggerUrl, { method: "POST", body: "{}" })).status).toBe(202);
      expect((await health()).body.checks.qstash).toEqual({ ok: true });
    });
  });
});

describe("what every job carries", () => {
  it("the retry budget in the job, an explicit Upstash-Timeout of the delivery function's maxDuration and the failure callback, on either lane", async () => {
    const callback = await createCallback(app.url, {
      name: "job-shape",
      retries: 2,
      destinations: [httpDestination(`${sink.url}/shape`), { ...httpDestination(`${sink.url}/shape-fifo`), name: "ordered", ordering: "fifo", retries: 4 }],
    });
    const [paced, ordered] = callback.destinations.map((destination) => destination.id);
    const batch = await throughFront("forward", async (front) => {
      const answer = await fetch(callback.triggerUrl, { method: "POST", body: "{}" });
      expect(answer.status).toBe(202);
      return JSON.parse(front.exchanges.find((exchange) => exchange.path === "/v2/batch")?.body ?? "[]") as Array<{ headers: Record<string, string>; body: string; queue?: string }>;
    });
    expect(batch).toHaveLength(2);
    const failureCallback = `${app.url}/api/deliver/failed`;
    const entryOf = (id: string | undefined) => batch.find((entry) => (JSON.parse(entry.body) as { destinationId: string }).destinationId === id);
    expect(entryOf(paced)?.headers).toMatchObject({
      "upstash-timeout": "60s",
      "upstash-retries": "2",
      "upstash-failure-callback": failureCallback,
      "upstash-flow-control-key": `sy-dest-${paced}`,
    });
    expect(JSON.parse(entryOf(paced)?.body ?? "{}")).toMatchObject({ retries: 2 });
    expect(entryOf(ordered)).toMatchObject({ queue: `sy-dest-${ordered}` });
    expect(entryOf(ordered)?.headers).toMatchObject({ "upstash-timeout": "60s", "upstash-retries": "4", "upstash-failure-callback": failureCallback });
    expect(JSON.parse(entryOf(ordered)?.body ?? "{}")).toMatchObject({ retries: 4 });
  });
});

describe("a callback's fan-out", () => {
  it("at most 100 enabled destinations, and all 100 go out in one batch call", async () => {
    const first = Array.from({ length: 50 }, (_, index) => ({ ...httpDestination(`${sink.url}/fan`), name: `d${index}` }));
    const callback = await createCallback(app.url, { name: "fan-out", destinations: first });
    for (let index = 50; index < 100; index += 1) {
      const added = await call(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, { body: { ...httpDestination(`${sink.url}/fan`), name: `d${index}` } });
      expect(added.status).toBe(201);
    }
    const extra = { ...httpDestination(`${sink.url}/fan`), name: "one too many" };
    const refused = await call<{ error: { code: string; field: string; message: string } }>(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, { body: extra });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "validation_failed", field: "enabled" });
    expect(refused.body.error.message).toContain("100");
    const disabled = await call<{ id: string }>(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, { body: { ...extra, enabled: false } });
    expect(disabled.status).toBe(201);
    const enabling = await call(app.url, "PATCH", `/api/destinations/${disabled.body.id}`, { body: { enabled: true } });
    expect(enabling.status).toBe(422);

    const batches = await throughFront("forward", async (front) => {
      const answer = await fetch(callback.triggerUrl, { method: "POST", body: "{}" });
      expect(answer.status).toBe(202);
      expect(((await answer.json()) as { deliveries: unknown[] }).deliveries).toHaveLength(100);
      return front.exchanges.filter((exchange) => exchange.path === "/v2/batch");
    });
    expect(batches).toHaveLength(1);
    expect(JSON.parse(batches[0]?.body ?? "[]")).toHaveLength(100);
  });
});

// The cap is checked and written in one transaction holding the callback's row lock: without it,
// requests that all counted 98 each added their destination and the callback passed 100.
describe("the 100 enabled destinations hold under concurrent requests", () => {
  const racers = 10;
  type Refusal = { error: { code: string; field: string } };

  async function enabledCount(db: Database, callbackId: string): Promise<number> {
    const row = await db
      .selectFrom("destinations")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("callback_id", "=", callbackId)
      .where("enabled", "=", true)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A callback with `enabled` enabled destinations and `disabled` disabled ones (their ids). */
  async function callbackAt(name: string, enabled: number, disabled: number): Promise<{ id: string; disabledIds: string[] }> {
    const destination = (index: number) => ({ ...httpDestination(`${sink.url}/cap`), name: `${name}-${index}`, enabled: index < enabled });
    const first = Array.from({ length: Math.min(enabled, 50) }, (_, index) => destination(index));
    const callback = await createCallback(app.url, { name, destinations: first });
    const disabledIds: string[] = [];
    for (let index = first.length; index < enabled + disabled; index += 1) {
      const added = await call<{ id: string }>(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, { body: destination(index) });
      expect(added.status).toBe(201);
      if (index >= enabled) disabledIds.push(added.body.id);
    }
    expect(await enabledCount(app.db, callback.id)).toBe(enabled);
    return { id: callback.id, disabledIds };
  }

  /**
   * Holds every write to destinations (reads go on) from another connection until three writers
   * wait on a lock, then lets them go: whatever the timing of the requests, a check-then-write
   * without the callback's lock has let each of the three count 98 by then.
   */
  async function whileWritesHeld<T>(run: () => Promise<T>): Promise<T> {
    const handle = createNeonPool(process.env.DATABASE_URL ?? "", { wsProxy: process.env.NEON_WS_PROXY, max: 2 });
    const holder = await handle.pool.connect();
    try {
      await holder.query("begin");
      await holder.query("lock table destinations in share mode");
      const running = run();
      running.catch(() => undefined);
      await waitFor(
        async () => {
          const { rows } = await handle.pool.query<{ n: string }>("select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
          return Number(rows[0]?.n) >= 3;
        },
        { what: "three writers waiting on the held destinations table" },
      );
      await holder.query("commit");
      return await running;
    } finally {
      await holder.query("rollback").catch(() => undefined);
      holder.release();
      await handle.pool.end();
    }
  }

  /** Fires every request at once; what came back and what the database holds afterwards. */
  async function race(callbackId: string, requests: Array<() => Promise<{ status: number; body: unknown }>>, okStatus: number) {
    const answers = await whileWritesHeld(() => Promise.all(requests.map((request) => request())));
    const refusals = answers.filter((answer) => answer.status === 422).map((answer) => (answer.body as Refusal).error);
    for (const refusal of refusals) expect(refusal).toMatchObject({ code: "validation_failed", field: "enabled" });
    return {
      succeeded: answers.filter((answer) => answer.status === okStatus).length,
      refused: refusals.length,
      enabled: await enabledCount(app.db, callbackId),
    };
  }

  it(`${racers} concurrent creates at 98: two are created, the rest are 422, and 100 are enabled`, async () => {
    const { id } = await callbackAt("cap-create", 98, 0);
    const creates = Array.from(
      { length: racers },
      (_, index) => () => call(app.url, "POST", `/api/callbacks/${id}/destinations`, { body: { ...httpDestination(`${sink.url}/cap`), name: `racer-${index}` } }),
    );
    expect(await race(id, creates, 201)).toEqual({ succeeded: 2, refused: racers - 2, enabled: 100 });
  });

  it(`${racers} concurrent PATCH enabled:true at 98: two are enabled, the rest are 422`, async () => {
    const { id, disabledIds } = await callbackAt("cap-patch", 98, racers);
    const patches = disabledIds.map((destinationId) => () => call(app.url, "PATCH", `/api/destinations/${destinationId}`, { body: { enabled: true } }));
    expect(await race(id, patches, 200)).toEqual({ succeeded: 2, refused: racers - 2, enabled: 100 });
  });

  it(`${racers} concurrent re-enables of breaker-disabled destinations at 98: two are enabled, the rest are 422`, async () => {
    const { id, disabledIds } = await callbackAt("cap-enable", 98, racers);
    // As the circuit breaker leaves them.
    await app.db.updateTable("destinations").set({ disabled_reason: "circuit breaker: 20 consecutive failures", consecutive_failures: 20 }).where("id", "in", disabledIds).execute();
    const enables = disabledIds.map((destinationId) => () => call(app.url, "POST", `/api/destinations/${destinationId}/enable`));
    expect(await race(id, enables, 200)).toEqual({ succeeded: 2, refused: racers - 2, enabled: 100 });
  });

  describe("on embedded PGlite (one connection: the locked write must not wait for another)", () => {
    let pglite: DbHandle;
    beforeAll(async () => {
      pglite = createDb(createPglitePool("memory://"));
      await migrateToLatest(pglite.db);
    }, 60_000);
    afterAll(async () => {
      await pglite.close();
    });

    const input = (name: string, enabled = true) => destinationInputSchema.parse({ ...httpDestination(`${sink.url}/cap`), name, enabled });
    /** What each call came to: "ok", the refused field, or the error itself. */
    const settle = (run: () => Promise<unknown>) =>
      run().then(
        () => "ok",
        (error: unknown) => (error instanceof AppError && error.code === "validation_failed" ? String(error.field) : error),
      );

    it("creates, edits and re-enables racing at 98 stop at 100", async () => {
      const callback = await createCallbackIn(pglite.db, callbackCreateSchema.parse({ name: "cap-pglite", destinations: Array.from({ length: 50 }, (_, index) => input(`d${index}`)) }));
      for (let index = 50; index < 98; index += 1) await createDestination(pglite.db, callback.id, input(`d${index}`), { variables: {} });
      const disabled = [];
      for (let index = 0; index < 2 * racers; index += 1) disabled.push((await createDestination(pglite.db, callback.id, input(`off${index}`, false), { variables: {} })).row.id);
      const outcomes = await Promise.all([
        ...Array.from({ length: racers }, (_, index) => settle(() => createDestination(pglite.db, callback.id, input(`racer${index}`), { variables: {} }))),
        ...disabled.slice(0, racers).map((id) => settle(() => updateDestination(pglite.db, id, { enabled: true }))),
        ...disabled.slice(racers).map((id) => settle(() => reenableDestination(pglite.db, id))),
      ]);
      expect({
        ok: outcomes.filter((outcome) => outcome === "ok").length,
        refused: outcomes.filter((outcome) => outcome === "enabled").length,
        enabled: await enabledCount(pglite.db, callback.id),
      }).toEqual({
        ok: 2,
        refused: 3 * racers - 2,
        enabled: 100,
      });
    });
  });
});
