import { describe, expect, it } from "vitest";
import { readFilterText, routingOwns, routingPayload, sampleInput, sampleRequestText, toRoutingText } from "@/lib/ui/routing-form";
import { readTransformPreview } from "@/lib/ui/transform-preview";

describe("the destination form's filter and transform text", () => {
  it("shows a stored filter as indented JSON and a stored transform as is; none as empty text", () => {
    expect(toRoutingText({ filter: { body: { type: ["a"] } }, transform: "function transform(e) { return null; }" })).toEqual({
      filter: '{\n  "body": {\n    "type": [\n      "a"\n    ]\n  }\n}',
      transform: "function transform(e) { return null; }",
    });
    expect(toRoutingText({ filter: null, transform: null })).toEqual({ filter: "", transform: "" });
    expect(toRoutingText(undefined)).toEqual({ filter: "", transform: "" });
  });

  it("leaves blanks out when creating and sends null when editing, so clearing the editor removes the filter or transform", () => {
    expect(routingPayload({ filter: "  ", transform: "" }, "create")).toEqual({ ok: true, body: {} });
    expect(routingPayload({ filter: "", transform: "\n" }, "edit")).toEqual({ ok: true, body: { filter: null, transform: null } });
    expect(routingPayload({ filter: '{"method": "POST"}', transform: "function transform(e) { return e; }" }, "create")).toEqual({
      ok: true,
      body: { filter: { method: "POST" }, transform: "function transform(e) { return e; }" },
    });
  });

  it("refuses filter text that is not JSON before sending, naming the filter (the API checks the language)", () => {
    const result = readFilterText('{"body": ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ field: "filter", message: expect.stringMatching(/^filter: is not valid JSON/) });
    // A filter the language refuses is still sent: its 422 names the path inside it.
    expect(readFilterText('{"body": {"amount": {"numeric": ["~", 1]}}}')).toEqual({ ok: true, filter: { body: { amount: { numeric: ["~", 1] } } } });
  });

  it("knows which editor shows an error: the filter for any path inside it, the transform for its own", () => {
    expect(routingOwns("filter.body.amount.numeric")).toBe("filter");
    expect(routingOwns("filter")).toBe("filter");
    expect(routingOwns("transform")).toBe("transform");
    expect(routingOwns("filterx")).toBeUndefined();
    expect(routingOwns("config.url")).toBeUndefined();
    expect(routingOwns(undefined)).toBeUndefined();
  });
});

describe("the sample a filter test or preview runs against", () => {
  it("sends the default sample as a request-like object, or a stored event's id", () => {
    expect(sampleInput({ source: "sample", text: sampleRequestText })).toEqual({
      ok: true,
      body: { sample: { method: "POST", path: "/", query: {}, headers: { "content-type": "application/json" }, body: { type: "order.created", amount: 120 } } },
    });
    expect(sampleInput({ source: "event", eventId: " 0190aaaa-0000-7000-8000-000000000000 " })).toEqual({ ok: true, body: { eventId: "0190aaaa-0000-7000-8000-000000000000" } });
  });

  it("refuses a sample that is not a JSON object and an empty event id, naming them", () => {
    expect(sampleInput({ source: "sample", text: "{" })).toMatchObject({ ok: false, error: { field: "sample" } });
    expect(sampleInput({ source: "sample", text: "[1]" })).toMatchObject({ ok: false, error: { field: "sample", message: expect.stringContaining("must be an object") } });
    expect(sampleInput({ source: "event", eventId: "" })).toMatchObject({ ok: false, error: { field: "eventId" } });
  });
});

describe("the transform preview as the editor shows it", () => {
  it("reads the message a transform returned, its body indented apart from the other fields", () => {
    const answer = { payload: "{}", transform: { status: "message", output: { kind: "http", headers: { "x-kind": "a" }, body: '{"total":2}', contentType: "application/json" } } };
    expect(readTransformPreview(answer)).toEqual({
      state: "output",
      fields: '{\n  "headers": {\n    "x-kind": "a"\n  },\n  "contentType": "application/json"\n}',
      payload: { key: "body", format: "JSON", text: '{\n  "total": 2\n}' },
    });
  });

  it("reads a dropped event and an answer without a transform", () => {
    expect(readTransformPreview({ payload: null, transform: { status: "dropped", reason: "dropped by transform" } })).toEqual({ state: "dropped", reason: "dropped by transform" });
    expect(readTransformPreview({ payload: "{}" })).toEqual({ state: "none" });
  });
});
