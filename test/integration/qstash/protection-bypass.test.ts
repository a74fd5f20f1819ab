// A Vercel deployment with Deployment Protection answers 401 to anything without the automation
// bypass secret, QStash included. A gate in front of the app plays Vercel's part: QStash's calls
// get through only because the app forwards VERCEL_AUTOMATION_BYPASS_SECRET with each publish:
// deliveries, FIFO enqueues, replays, alerts and the failure callbacks of deliveries and alerts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, waitFor } from "../../support/api";
import { withEnv } from "../../support/env-override";
import { createCallback, httpDestination, listDeliveries, waitForDelivery } from "../../support/fixtures";
import { forwardableHeaders } from "../../support/forward-headers";
import { cancelPendingJobs, useApp } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { fireTrigger, onlyDelivery } from "../../support/trigger";

const secret = "bypass-secret-0123456789abcdef";

interface Gate {
  url: string;
  seen: Array<{ path: string; bypass: string | undefined; status: number }>;
  /** The next call to /api/deliver whose job holds this text gets a 503 (a crashed function). */
  crashOnce: string | undefined;
  close(): Promise<void>;
}

/** Refuses like Vercel's protection (401) unless the bypass header is right; else proxies to the app. */
async function startGate(appUrl: string): Promise<Gate> {
  const seen: Gate["seen"] = [];
  const gate = { crashOnce: undefined as string | undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const bypass = req.headers["x-vercel-protection-bypass"] as string | undefined;
      const entry = { path: req.url ?? "", bypass, status: 401 };
      seen.push(entry);
      if (bypass !== secret) {
        res.writeHead(401, { "content-type": "text/html" }).end("Authentication Required");
        return;
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      if (gate.crashOnce !== undefined && entry.path === "/api/deliver" && body?.toString().includes(gate.crashOnce)) {
        gate.crashOnce = undefined;
        entry.status = 503;
        res.writeHead(503).end("function crashed");
        return;
      }
      fetch(`${appUrl}${req.url ?? ""}`, { method: req.method, headers: forwardableHeaders(req), body }).then(
        async (answer) => {
          entry.status = answer.status;
          res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
          res.end(Buffer.from(await answer.arrayBuffer()));
        },
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(gate, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describe("a protected deployment (VERCEL_AUTOMATION_BYPASS_SECRET)", () => {
  const app = useApp();
  let gate: Gate;
  let sink: Sink;

  beforeAll(async () => {
    gate = await startGate(app.url);
    sink = await startSink();
  });
  afterAll(async () => {
    await cancelPendingJobs();
    await gate.close();
    await sink.close();
  });

  /** The sender reaches the app directly; only QStash's calls go through the protected URL. */
  async function trigger(): Promise<string> {
    const callback = await createCallback(app.url, { name: `protected-${Date.now()}`, destinations: [httpDestination(`${sink.url}/hook`)] });
    return onlyDelivery(await fireTrigger(`${app.url}/api/trigger/${callback.token}`, { body: { order: 1 } }));
  }

  it("gets deliveries through: QStash's delivery call carries x-vercel-protection-bypass", async () => {
    await withEnv({ APP_URL: gate.url, VERCEL_AUTOMATION_BYPASS_SECRET: secret }, async () => {
      const deliveryId = await trigger();
      const detail = await waitForDelivery(app.url, deliveryId, ["succeeded"]);
      expect(detail.attempts).toBe(1);
    });
    const deliverCalls = gate.seen.filter((entry) => entry.path === "/api/deliver");
    expect(deliverCalls.length).toBeGreaterThan(0);
    expect(deliverCalls.every((entry) => entry.bypass === secret && entry.status === 200)).toBe(true);
    expect(sink.requests.map((request) => request.path)).toEqual(["/hook"]);
  });

  it("gets every other QStash call through: FIFO enqueue, failure callback, alert and replay", async () => {
    gate.seen.length = 0;
    sink.requests.length = 0;
    expect((await call(app.url, "PUT", "/api/settings/alerts", { body: { retries: 0, config: { url: `${sink.url}/alert` } } })).status).toBe(200);
    try {
      await withEnv({ APP_URL: gate.url, VERCEL_AUTOMATION_BYPASS_SECRET: secret }, async () => {
        const callback = await createCallback(app.url, {
          name: `protected-all-${Date.now()}`,
          retries: 0,
          destinations: [{ ...httpDestination(`${sink.url}/fifo`), ordering: "fifo" }],
        });
        // The function "crashes" on the first attempt: with no retries left QStash calls the failure callback.
        gate.crashOnce = "crash-me";
        const deliveryId = onlyDelivery(await fireTrigger(`${app.url}/api/trigger/${callback.token}`, { body: { order: "crash-me" } }));
        await waitForDelivery(app.url, deliveryId, ["dead"]);
        await waitFor(async () => sink.requests.some((request) => request.path === "/alert"), { what: "the delivery.dead alert at its receiver" });
        const replay = await call<{ deliveryId: string }>(app.url, "POST", `/api/deliveries/${deliveryId}/replay`);
        expect(replay.status).toBe(202);
        await waitForDelivery(app.url, replay.body.deliveryId, ["succeeded"]);
        expect(await listDeliveries(app.url, `callbackId=${callback.id}`)).toHaveLength(2);
      });
    } finally {
      await call(app.url, "DELETE", "/api/settings/alerts");
    }
    const paths = gate.seen.map((entry) => entry.path);
    expect(paths.filter((path) => path === "/api/deliver")).toHaveLength(2);
    expect(paths).toContain("/api/deliver/failed");
    expect(paths).toContain("/api/alerts/deliver");
    expect(gate.seen.filter((entry) => entry.bypass !== secret)).toEqual([]);
    expect(gate.seen.filter((entry) => entry.status === 401)).toEqual([]);
    expect(sink.requests.map((request) => request.path).sort()).toEqual(["/alert", "/fifo"]);
  });

  it("without the secret the same deployment refuses QStash, and nothing is delivered", async () => {
    gate.seen.length = 0;
    sink.requests.length = 0;
    await withEnv({ APP_URL: gate.url, VERCEL_AUTOMATION_BYPASS_SECRET: "" }, async () => {
      await trigger();
      await waitFor(async () => gate.seen.some((entry) => entry.path === "/api/deliver"), { what: "QStash's call at the gate" });
    });
    await cancelPendingJobs();
    expect(gate.seen.filter((entry) => entry.path === "/api/deliver").every((entry) => entry.bypass === undefined && entry.status === 401)).toBe(true);
    expect(sink.requests).toEqual([]);
  });
});
