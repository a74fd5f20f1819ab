// The sandbox as a delivery sees it: what a transform receives, what each kind may return, and
// how every failure (throw, timeout, memory, stack, wrong shape, reaching for the host) is worded
// with its line, while the next run still works.
import { describe, expect, it } from "vitest";
import { runTransform, type RunTransformInput, type TransformRequest } from "@/lib/transforms/run-transform";

const request: TransformRequest = {
  method: "POST",
  path: "/hooks/orders",
  query: { tag: ["a", "b"], src: "shop" },
  headers: { "content-type": "application/json", "x-shop": "north" },
  body: JSON.stringify({ type: "order.created", id: 42, items: [{ sku: "A1", qty: 2 }] }),
  bodyEncoding: "utf8",
  receivedAt: "2026-03-01T12:00:00.000Z",
};

function run(source: string, kind: RunTransformInput["kind"] = "mqtt", overrides: Partial<RunTransformInput> = {}) {
  return runTransform({ kind, source, eventId: "0190a1b2-0000-7000-8000-000000000001", request, vars: { region: "eu" }, ...overrides });
}

describe("runTransform inputs", () => {
  it("receives method, path, query, headers, the parsed JSON body and the callback's variables", async () => {
    const verdict = await run("function transform(e) { return { payload: e }; }");
    expect(verdict).toEqual({ status: "message", message: expect.objectContaining({ kind: "mqtt" }) });
    if (verdict.status !== "message" || verdict.message.kind !== "mqtt") throw new Error("unreachable");
    expect(JSON.parse(verdict.message.payload)).toEqual({
      method: "POST",
      path: "/hooks/orders",
      query: { tag: ["a", "b"], src: "shop" },
      headers: { "content-type": "application/json", "x-shop": "north" },
      body: { type: "order.created", id: 42, items: [{ sku: "A1", qty: 2 }] },
      vars: { region: "eu" },
    });
  });

  it("gets a body that is not JSON as its text", async () => {
    const verdict = await run("function transform(e) { return { payload: typeof e.body + ':' + e.body }; }", "mqtt", { request: { ...request, body: "plain words" } });
    expect(verdict).toMatchObject({ status: "message", message: { payload: "string:plain words", contentType: "text/plain; charset=utf-8" } });
  });

  it("sees a clock fixed at the event's received time and a Math.random seeded by the event id", async () => {
    const source = "function transform(e) { return { payload: [Date.now(), new Date().toISOString(), Math.random(), Math.random()] }; }";
    const first = await run(source);
    const again = await run(source);
    const other = await run(source, "mqtt", { eventId: "0190a1b2-0000-7000-8000-000000000002" });
    if (first.status !== "message" || again.status !== "message" || other.status !== "message") throw new Error("expected messages");
    const [now, iso, r1, r2] = JSON.parse(first.message.kind === "mqtt" ? first.message.payload : "") as [number, string, number, number];
    expect(now).toBe(Date.parse(request.receivedAt));
    expect(iso).toBe(request.receivedAt);
    expect(r1).not.toBe(r2);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it("has no require, process, fetch or other host objects", async () => {
    const verdict = await run("function transform(e) { return { payload: [typeof require, typeof process, typeof fetch, typeof setTimeout, typeof module] }; }");
    expect(verdict).toMatchObject({ status: "message", message: { payload: '["undefined","undefined","undefined","undefined","undefined"]' } });
  });
});

describe("runTransform outputs per kind", () => {
  it("HTTP: method, headers, query and a JSON-serialised body", async () => {
    const verdict = await run("function transform(e) { return { method: 'PUT', headers: { 'X-Kind': e.body.type }, query: { id: String(e.body.id) }, body: { id: e.body.id } }; }", "http");
    expect(verdict).toEqual({
      status: "message",
      message: { kind: "http", method: "PUT", headers: { "X-Kind": "order.created" }, query: { id: "42" }, body: '{"id":42}', contentType: "application/json" },
    });
  });

  it("HTTP: a string body is sent as is, with a returned content-type", async () => {
    const verdict = await run("function transform(e) { return { headers: { 'content-type': 'application/xml' }, body: '<id>' + e.body.id + '</id>' }; }", "http");
    expect(verdict).toMatchObject({ status: "message", message: { body: "<id>42</id>", contentType: "application/xml" } });
  });

  it("HTTP: a url field, a host header or a missing body is refused", async () => {
    expect(await run("function transform(e) { return { url: 'https://elsewhere.example', body: 1 }; }", "http")).toEqual({
      status: "failed",
      error: 'transform returned an invalid HTTP message: "url" cannot be returned (allowed: method, headers, query, body; the URL cannot change)',
    });
    expect(await run("function transform(e) { return { headers: { Host: 'x' }, body: 1 }; }", "http")).toEqual({
      status: "failed",
      error: "transform returned an invalid HTTP message: headers.Host: is set by the connection and may not be chosen by a transform",
    });
    expect(await run("function transform(e) { return { method: 'POST' }; }", "http")).toEqual({
      status: "failed",
      error: "transform returned an invalid HTTP message: body: is required (return null to drop the delivery)",
    });
  });

  it("MQTT: topic, payload and MQTT 5 properties", async () => {
    const verdict = await run("function transform(e) { return { topic: 'orders/' + e.body.id, payload: e.body.items, properties: { userProperties: { shop: e.headers['x-shop'] } } }; }");
    expect(verdict).toEqual({
      status: "message",
      message: { kind: "mqtt", topic: "orders/42", payload: '[{"sku":"A1","qty":2}]', contentType: "application/json", properties: { userProperties: { shop: "north" } } },
    });
  });

  it("AMQP: routing key, payload and headers", async () => {
    const verdict = await run(
      "function transform(e) { return { routingKey: 'orders.' + e.vars.region, payload: 'id=' + e.body.id, headers: { 'x-id': e.body.id, urgent: true } }; }",
      "amqp",
    );
    expect(verdict).toEqual({
      status: "message",
      message: { kind: "amqp", routingKey: "orders.eu", payload: "id=42", contentType: "text/plain; charset=utf-8", headers: { "x-id": 42, urgent: true } },
    });
  });

  it("null drops the delivery; undefined, an array or a wrong type is a failure", async () => {
    expect(await run("function transform(e) { return e.body.type === 'order.created' ? null : { payload: 1 }; }")).toEqual({ status: "dropped" });
    expect(await run("function transform(e) { }")).toEqual({ status: "failed", error: "transform returned undefined: return the message, or null to drop the delivery" });
    expect(await run("function transform(e) { return [1]; }", "amqp")).toEqual({
      status: "failed",
      error: "transform returned an invalid AMQP message: must return an object or null, not an array",
    });
    expect(await run("function transform(e) { return { topic: 7, payload: 1 }; }")).toEqual({
      status: "failed",
      error: expect.stringMatching(/^transform returned an invalid MQTT message: topic: /),
    });
  });
});

describe("runTransform failures name the line and leave the sandbox healthy", () => {
  it("a throw: the error and its line", async () => {
    expect(await run("function transform(e) {\n  const order = e.body;\n  return { payload: order.missing.id };\n}")).toEqual({
      status: "failed",
      error: "transform threw at line 3: TypeError: cannot read property 'id' of undefined",
    });
    expect(await run("function transform(e) {\n  throw new Error('no shop');\n}")).toEqual({ status: "failed", error: "transform threw at line 2: Error: no shop" });
    expect(await run("function transform(e) { throw 'plain'; }")).toEqual({ status: "failed", error: "transform threw: Error: a non-Error value was thrown: plain" });
  });

  it("reaching for require or process is a ReferenceError with its line", async () => {
    expect(await run("function transform(e) {\n  return { payload: require('fs').readFileSync('/etc/passwd', 'utf8') };\n}")).toEqual({
      status: "failed",
      error: "transform threw at line 2: ReferenceError: 'require' is not defined",
    });
    expect(await run("function transform(e) {\n\n  return { payload: process.env };\n}")).toEqual({
      status: "failed",
      error: "transform threw at line 3: ReferenceError: 'process' is not defined",
    });
  });

  it("an endless loop times out at the limit, and the next run works", async () => {
    const started = performance.now();
    const verdict = await run("function transform(e) {\n  while (true) {}\n}");
    expect(verdict).toEqual({ status: "failed", error: expect.stringMatching(/^transform timed out after 50 ms at line \d$/) });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await run("function transform(e) { return { payload: 'fine' }; }")).toMatchObject({ status: "message", message: { payload: "fine" } });
  });

  it("an endless loop at the top level of the source times out too", async () => {
    expect(await run("while (true) {}\nfunction transform(e) { return null; }")).toEqual({ status: "failed", error: expect.stringMatching(/^transform timed out after 50 ms/) });
  });

  it("allocating 1 GB hits the memory limit, and the next run works", async () => {
    for (const source of [
      "function transform(e) {\n  return { payload: new ArrayBuffer(1024 * 1024 * 1024).byteLength };\n}",
      "function transform(e) {\n  const a = new Array(1e9).fill(1);\n  return { payload: a.length };\n}",
    ]) {
      expect(await run(source)).toEqual({ status: "failed", error: expect.stringMatching(/^transform ran out of memory \(limit 16 MB\) at line 2$/) });
      expect(await run("function transform(e) { return { payload: 'fine' }; }")).toMatchObject({ status: "message", message: { payload: "fine" } });
    }
  });

  it("endless recursion hits the stack limit, and the next run works", async () => {
    expect(await run("function transform(e) {\n  return transform(e);\n}")).toEqual({ status: "failed", error: expect.stringMatching(/^transform exceeded the stack limit at line 2: /) });
    expect(await run("function transform(e) { return { payload: 'fine' }; }")).toMatchObject({ status: "message", message: { payload: "fine" } });
  });

  it("a syntax error the save-time check did not see is reported with its line", async () => {
    expect(await run("function transform(e) {\n  return { payload: 1 ;\n}")).toEqual({
      status: "failed",
      error: expect.stringMatching(/^transform does not compile at line 2: SyntaxError: /),
    });
  });

  it("keeps no state between runs (a fresh context each time)", async () => {
    const source = "var count = (globalThis.count || 0) + 1; globalThis.count = count;\nfunction transform(e) { return { payload: count }; }";
    expect(await run(source)).toMatchObject({ message: { payload: "1" } });
    expect(await run(source)).toMatchObject({ message: { payload: "1" } });
  });
});

describe("runTransform time limit beyond the interpreter", () => {
  it("a run that outlasts the limit inside native calls still counts as a timeout", async () => {
    const verdict = await run(
      "function transform(e) {\n  const parts = [];\n  for (let i = 0; i < 40; i++) parts.push('x'.repeat(1000000).length);\n  return { payload: parts.length };\n}",
      "mqtt",
      {
        limits: { timeoutMs: 5, memoryBytes: 16 * 1024 * 1024, stackBytes: 256 * 1024 },
      },
    );
    expect(verdict).toEqual({ status: "failed", error: "transform timed out after 5 ms" });
  });
});
