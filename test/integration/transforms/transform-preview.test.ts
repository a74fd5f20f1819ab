// Preview runs the destination's transform as a delivery would, sending nothing: its output (the
// HTTP request built from it, signed and with secrets masked), "dropped" for null, or its error
// with the line as a 422 naming `transform`, for a sample or a stored event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { fireTrigger, onlyDelivery } from "../../support/trigger";

const app = useApp();
let sink: Sink;

interface Preview {
  kind: string;
  source: string;
  payload: string | null;
  request?: { method: string; url: string; headers: Record<string, string>; body: string | null };
  transform?: { status: string; output?: Record<string, unknown>; reason?: string };
}

interface PreviewError {
  error: { code: string; field: string; message: string; issues: Array<{ field: string; message: string }> };
}

beforeAll(async () => {
  sink = await startSink();
});
afterAll(async () => {
  await sink.close();
});

async function destinationWithTransform(kind: "http" | "mqtt", source: string) {
  const destination =
    kind === "http" ? httpDestination(`${sink.url}/preview`, { sign: true }) : { kind: "mqtt", name: "m", config: { url: "mqtt://127.0.0.1:1883", topic: "configured/topic" } };
  const callback = await createCallback(app.url, { name: "transform-preview", variables: { region: "eu" }, destinations: [destination] });
  const id = callback.destinations[0]?.id ?? "";
  const saved = await call(app.url, "PATCH", `/api/destinations/${id}`, { body: { transform: source } });
  expect(saved.status, saved.text).toBe(200);
  return { callback, id };
}

const preview = (id: string, body: unknown) => call<Preview & PreviewError>(app.url, "POST", `/api/destinations/${id}/preview`, { body });

describe("transform preview", () => {
  it("shows the HTTP request built from the transform's output for a sample, signed, sending nothing", async () => {
    const { id } = await destinationWithTransform("http", "function transform(e) { return { method: 'PATCH', headers: { 'X-Region': e.vars.region }, body: { n: e.body.n * 2 } }; }");
    const before = sink.requests.length;
    const result = await preview(id, { sample: { body: { n: 21 } } });
    expect(result.status, result.text).toBe(200);
    expect(result.body.transform).toEqual({
      status: "message",
      output: { kind: "http", method: "PATCH", headers: { "X-Region": "eu" }, body: '{"n":42}', contentType: "application/json" },
    });
    expect(result.body.payload).toBe('{"n":42}');
    expect(result.body.request).toMatchObject({ method: "PATCH", body: '{"n":42}', headers: { "x-region": "eu", "webhook-signature": "v1,***" } });
    expect(sink.requests.length).toBe(before);
  });

  it("shows the MQTT topic and payload for a stored event", async () => {
    const { callback, id } = await destinationWithTransform("mqtt", "function transform(e) { return { topic: 'orders/' + e.body.id, payload: e.body }; }");
    const answer = await fireTrigger(callback.triggerUrl, { raw: '{"id":5}', headers: { "content-type": "application/json" } });
    await waitForDelivery(app.url, onlyDelivery(answer), ["succeeded", "failed", "dead"]);
    const result = await preview(id, { eventId: answer.eventId });
    expect(result.status, result.text).toBe(200);
    expect(result.body).toMatchObject({ source: "event", payload: '{"id":5}', transform: { status: "message", output: { kind: "mqtt", topic: "orders/5" } } });
  });

  it("says a null result drops the event", async () => {
    const { id } = await destinationWithTransform("http", "function transform(e) { return null; }");
    const result = await preview(id, { sample: { body: {} } });
    expect(result.status, result.text).toBe(200);
    expect(result.body).toMatchObject({ payload: null, transform: { status: "dropped", reason: "dropped by transform" } });
    expect(result.body.request).toBeUndefined();
  });

  it("answers a failing transform with a 422 naming transform and the line", async () => {
    const { id } = await destinationWithTransform("http", "function transform(e) {\n  return { body: e.body.order.id };\n}");
    const result = await preview(id, { sample: { body: { n: 1 } } });
    expect(result.status, result.text).toBe(422);
    expect(result.body.error).toMatchObject({
      code: "validation_failed",
      field: "transform",
      issues: [{ field: "transform", message: "transform threw at line 2: TypeError: cannot read property 'id' of undefined" }],
    });
  });

  it("tries the editor's unsaved transform instead of the stored one, checks its syntax, and null previews without any", async () => {
    const { id } = await destinationWithTransform("http", "function transform(e) { return { body: 'stored' }; }");
    const unsaved = await preview(id, { sample: { body: { n: 2 } }, transform: "function transform(e) { return { body: 'unsaved ' + e.body.n }; }" });
    expect(unsaved.status, unsaved.text).toBe(200);
    expect(unsaved.body.payload).toBe("unsaved 2");
    const broken = await preview(id, { sample: { body: {} }, transform: "function transform(e) {\n  return {;\n}" });
    expect(broken.status, broken.text).toBe(422);
    expect(broken.body.error.field).toBe("transform");
    expect(broken.body.error.message).toContain("line 2");
    const none = await preview(id, { sample: { body: { n: 3 } }, transform: null });
    expect(none.status, none.text).toBe(200);
    expect(none.body.transform).toBeUndefined();
    expect(none.body.payload).not.toBe("stored");
    const stored = await preview(id, { sample: { body: {} } });
    expect(stored.body.payload).toBe("stored");
  });
});
