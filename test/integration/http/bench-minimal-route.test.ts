// The bench's baseline route (/api/bench/minimal-trigger/:token) publishes to QStash without any
// check, so it must exist only when a benchmark asks for it: a 404 like an unknown trigger,
// even for a live token, unless BENCH_MINIMAL_ROUTE=true (never on Vercel: test/unit/env.test.ts).
import { afterAll, describe, expect, it } from "vitest";
import { resetEnv } from "@/lib/env";
import { call, type ErrorBody } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { useSink } from "../../support/sink";

const app = useApp();
const sink = useSink();

afterAll(() => {
  delete process.env.BENCH_MINIMAL_ROUTE;
  resetEnv();
});

/** A live callback whose cache entry the real trigger route has filled, as the bench does. */
async function warmCallback(name: string): Promise<string> {
  const callback = await createCallback(app.url, { name, destinations: [httpDestination(`${sink.url}/${name}`)] });
  const fired = await call(app.url, "POST", `/api/trigger/${callback.token}`, { token: null, raw: "{}" });
  expect(fired.status, fired.text).toBe(202);
  return callback.token;
}

describe("the bench's minimal trigger route", () => {
  it("answers 404 not_found for a live token while BENCH_MINIMAL_ROUTE is unset", async () => {
    delete process.env.BENCH_MINIMAL_ROUTE;
    resetEnv();
    const token = await warmCallback("minimal-off");
    const refused = await call<ErrorBody>(app.url, "POST", `/api/bench/minimal-trigger/${token}`, { token: null, raw: '{"n":1}' });
    expect([refused.status, refused.body.error.code]).toEqual([404, "not_found"]);
  });

  it("with BENCH_MINIMAL_ROUTE=true, queues one delivery per destination that reaches the destination", async () => {
    process.env.BENCH_MINIMAL_ROUTE = "true";
    resetEnv();
    const token = await warmCallback("minimal-on");
    const accepted = await call<{ eventId: string; deliveries: Array<{ id: string }> }>(app.url, "POST", `/api/bench/minimal-trigger/${token}`, {
      token: null,
      raw: '{"minimal":true}',
    });
    expect(accepted.status, accepted.text).toBe(202);
    expect(accepted.body.deliveries).toHaveLength(1);
    await waitForDelivery(app.url, accepted.body.deliveries[0]?.id ?? "", ["succeeded"]);
    expect(sink.requests.some((request) => request.path === "/minimal-on" && request.body.includes('"minimal":true'))).toBe(true);
  });

  it("with BENCH_MINIMAL_ROUTE=true, still answers 404 for a token with no cached callback", async () => {
    process.env.BENCH_MINIMAL_ROUTE = "true";
    resetEnv();
    const refused = await call<ErrorBody>(app.url, "POST", "/api/bench/minimal-trigger/sy_not_a_token", { token: null, raw: "{}" });
    expect([refused.status, refused.body.error.code]).toEqual([404, "not_found"]);
  });
});
