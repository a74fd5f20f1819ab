// A Vercel deployment with Deployment Protection answers 401 to anything without the automation
// bypass secret, QStash included. A gate in front of the app plays Vercel's part: QStash's calls
// get through only because the app forwards VERCEL_AUTOMATION_BYPASS_SECRET with each publish.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../support/api";
import { withEnv } from "../../support/env-override";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { forwardableHeaders } from "../../support/forward-headers";
import { cancelPendingJobs, useApp } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { fireTrigger, onlyDelivery } from "../../support/trigger";

const secret = "bypass-secret-0123456789abcdef";

interface Gate {
  url: string;
  seen: Array<{ path: string; bypass: string | undefined; status: number }>;
  close(): Promise<void>;
}

/** Refuses like Vercel's protection (401) unless the bypass header is right; else proxies to the app. */
async function startGate(appUrl: string): Promise<Gate> {
  const seen: Gate["seen"] = [];
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
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
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
