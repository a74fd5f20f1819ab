// Issue #16's QStash calls (flow-control pause and reads, queue upsert) are bounded and classified
// like a publish (issue #12 point 3): no answer within about 5 s, a 429 or a 5xx is a 503 with
// Retry-After the operator may repeat; a refused token or a plan limit is a 500 with an operator
// log line, and /api/health names the call and the cause. A held count QStash cannot give leaves
// the destination shown without it.
import { Client } from "@upstash/qstash";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devCredentials, startQstashServer } from "@/scripts/qstash-server";
import type { TestServer } from "@/scripts/lib/net-tools";
import { call, waitFor, type ErrorBody } from "../../support/api";
import { createCallback, httpDestination } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { capturingLogs } from "../../support/app-logs";
import { withEnv } from "../../support/env-override";
import { startQstashFault } from "../../support/qstash-fault";
import { useSink } from "../../support/sink";
import { startSilentServer } from "../../support/silent-server";

const app = useApp();
const sink = useSink();

interface Health {
  checks: Record<string, { ok: boolean; detail?: string }>;
}

interface DestinationView {
  paused: boolean;
  heldDeliveries?: number | null;
  heldNote?: string;
}

const health = () => call<Health>(app.url, "GET", "/api/health", { token: null });
const pause = (id: string) => call<ErrorBody>(app.url, "POST", `/api/destinations/${id}/pause`);
const view = (id: string) => call<DestinationView>(app.url, "GET", `/api/destinations/${id}`);

async function destination(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const callback = await createCallback(app.url, { name, destinations: [{ ...httpDestination(`${sink.url}/${name}`), name, ...extra }] });
  return callback.destinations[0]?.id ?? "";
}

let hungUrl: string;
let hung: TestServer;

beforeAll(async () => {
  hung = await startSilentServer();
  hungUrl = `http://127.0.0.1:${hung.port}`;
});
afterAll(async () => {
  await hung.close();
});

describe("passing trouble: 503 with Retry-After, health stays green", () => {
  it("a pause QStash never answers is refused within about 5 s, and the row stays as it was", async () => {
    const id = await destination("control-hung");
    const startedAt = Date.now();
    const answer = await withEnv({ QSTASH_URL: hungUrl }, () => pause(id));
    const elapsedMs = Date.now() - startedAt;
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    expect(answer.body.error).toMatchObject({ code: "queue_unavailable", message: expect.stringContaining("flow-control pause") });
    // The call's own 5 s deadline, not a function limit (10 s and up on Vercel).
    expect(elapsedMs).toBeGreaterThanOrEqual(4_900);
    expect(elapsedMs).toBeLessThan(10_000);
    expect(hung.connections).toBeGreaterThan(0);
    expect((await view(id)).body.paused).toBe(false);
  });

  it.each([429, 500, 503])("a %i on a pause or a held-count read", async (status) => {
    const id = await destination(`control-${status}`);
    const front = await startQstashFault({ status });
    try {
      await withEnv({ QSTASH_URL: front.url }, async () => {
        const answer = await pause(id);
        expect(answer.status).toBe(503);
        expect(answer.headers.get("retry-after")).toBe("5");
        expect(answer.body.error.code).toBe("queue_unavailable");
        expect((await view(id)).body).toMatchObject({ paused: false, heldDeliveries: null, heldNote: expect.stringMatching(/QStash/) });
        expect((await health()).body.checks.qstash).toEqual({ ok: true });
      });
    } finally {
      await front.close();
    }
    expect(front.exchanges.map((exchange) => exchange.path)).toContain(`/v2/flowControl/sy-dest-${id}/pause`);
  });
});

describe("a deployment fault: 500, an operator log line, and /api/health names the call", () => {
  it("a wrong token on a pause (401)", async () => {
    const id = await destination("control-token");
    await withEnv({ QSTASH_TOKEN: "not-the-token" }, async () => {
      const { result, logged } = await capturingLogs(() => pause(id));
      expect(result.status).toBe(500);
      expect(result.headers.get("retry-after")).toBeNull();
      expect(result.body.error).toMatchObject({ code: "queue_misconfigured", message: expect.stringContaining("flow-control pause") });
      const line = logged.find((entry) => entry.level === "error" && /refused the token \(401\) on a flow-control pause/.test(entry.msg));
      expect(line?.msg).toMatch(/Fix: Check QSTASH_TOKEN/);
      expect((await health()).body.checks.qstash).toMatchObject({ ok: false, detail: expect.stringMatching(/refused the token \(401\) on a flow-control pause/) });
      // The held count is not shown either, and the destination still is.
      expect((await view(id)).body).toMatchObject({ paused: false, heldDeliveries: null });
    });
    expect((await view(id)).body.paused).toBe(false);
  });

  it("the plan's queue limit on the queue a FIFO destination's pause creates (412)", async () => {
    const id = await destination("control-queues", { ordering: "fifo" });
    // The free plan allows 10 queues; all of them are taken.
    const qstash = await startQstashServer({ port: 0, plan: "free" });
    try {
      const client = new Client({ baseUrl: qstash.url, token: devCredentials.token, enableTelemetry: false, retry: false });
      for (let index = 0; index < 10; index += 1) await client.queue({ queueName: `taken-${index}` }).upsert({ parallelism: 1 });
      await withEnv({ QSTASH_URL: qstash.url }, async () => {
        const { result, logged } = await capturingLogs(() => pause(id));
        expect(result.status).toBe(500);
        expect(result.body.error).toMatchObject({ code: "queue_misconfigured", message: expect.stringContaining("queue upsert") });
        const line = logged.find((entry) => entry.level === "error" && /refused the queue upsert: the plan's queue limit is reached \(412\)/.test(entry.msg));
        expect(line?.msg).toMatch(/Fix: .*QStash plan with more queues/);
        expect((await health()).body.checks.qstash).toMatchObject({ ok: false, detail: expect.stringMatching(/queue upsert: the plan's queue limit is reached \(412\)/) });
      });
      expect((await client.queue().list()).map((queue) => queue.name)).not.toContain(`sy-dest-${id}`);
    } finally {
      await qstash.close();
    }
    expect((await view(id)).body.paused).toBe(false);
  });

  it("the queue limit stays on /api/health through calls that create no queue, and a queue upsert that goes through clears it", async () => {
    const fifo = await destination("control-queues-kept", { ordering: "fifo" });
    const other = await createCallback(app.url, { name: "control-queues-other", destinations: [httpDestination(`${sink.url}/control-queues-other`)] });
    const unordered = other.destinations[0]?.id ?? "";
    const qstash = await startQstashServer({ port: 0, plan: "free" });
    try {
      const client = new Client({ baseUrl: qstash.url, token: devCredentials.token, enableTelemetry: false, retry: false });
      for (let index = 0; index < 10; index += 1) await client.queue({ queueName: `taken-${index}` }).upsert({ parallelism: 1 });
      await withEnv({ QSTASH_URL: qstash.url }, async () => {
        const limit = /queue upsert: the plan's queue limit is reached \(412\)/;
        const refused = await capturingLogs(() => pause(fifo));
        expect(refused.result.status).toBe(500);
        expect((await health()).body.checks.qstash).toMatchObject({ ok: false, detail: expect.stringMatching(limit) });
        // A flow-control pause, a queue listing, a resume and a publish all go through: the limit is still reached.
        expect((await pause(unordered)).status).toBe(200);
        expect((await call(app.url, "POST", `/api/destinations/${unordered}/resume`)).status).toBe(200);
        expect((await fetch(other.triggerUrl, { method: "POST", body: "{}" })).status).toBe(202);
        expect((await health()).body.checks.qstash).toMatchObject({ ok: false, detail: expect.stringMatching(limit) });
        // A queue freed: the FIFO destination's queue upsert goes through, and health is green.
        await client.queue({ queueName: "taken-0" }).delete();
        expect((await pause(fifo)).status).toBe(200);
        await waitFor(async () => (await health()).body.checks.qstash?.ok === true, { what: "health green after the queue upsert" });
        expect((await health()).body.checks.qstash).toEqual({ ok: true });
      });
    } finally {
      await qstash.close();
    }
  });
});
