// The sandbox inside a built `next start`: the QuickJS packages load from node_modules at run
// time (serverExternalPackages), so a transform shapes a delivery there as it does in the
// in-process server the other tests use.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { ensureNextBuild, startNextServer, type NextServer } from "@/scripts/lib/next-server";
import { startSink, type Sink } from "../../support/sink";
import { fireTrigger, onlyDelivery } from "../../support/trigger";

let server: NextServer;
let sink: Sink;

beforeAll(async () => {
  await ensureNextBuild();
  [server, sink] = await Promise.all([startNextServer(process.env), startSink()]);
}, 420_000);

afterAll(async () => {
  await sink?.close();
  await server?.close();
});

describe("transforms under next start", () => {
  it("a transform shapes the delivered body, and a failing one fails as content with its line", async () => {
    const callback = await createCallback(server.url, { name: "next-transform", variables: { region: "eu" }, destinations: [httpDestination(`${sink.url}/next-transform`)] });
    const id = callback.destinations[0]?.id ?? "";
    const saved = await call(server.url, "PATCH", `/api/destinations/${id}`, {
      body: { transform: "function transform(event) { return { body: { id: event.body.id, region: event.vars.region } }; }" },
    });
    expect(saved.status, saved.text).toBe(200);
    const answer = await fireTrigger(`${server.url}/api/trigger/${callback.token}`, { raw: '{"id":3}', headers: { "content-type": "application/json" } });
    expect(answer.status, answer.text).toBe(202);
    const detail = await waitForDelivery(server.url, onlyDelivery(answer), ["succeeded", "failed", "dead"]);
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(sink.requests.find((request) => request.path === "/next-transform")?.body).toBe('{"id":3,"region":"eu"}');

    await call(server.url, "PATCH", `/api/destinations/${id}`, { body: { transform: "function transform(event) {\n  return { body: event.body.missing.id };\n}" } });
    const failing = await fireTrigger(`${server.url}/api/trigger/${callback.token}`, { raw: '{"id":4}', headers: { "content-type": "application/json" } });
    const failed = await waitForDelivery(server.url, onlyDelivery(failing), ["succeeded", "failed", "dead"]);
    expect(failed.lastError).toBe("Content error: transform threw at line 2: TypeError: cannot read property 'id' of undefined");
  });
});
