import { describe, expect, it } from "vitest";
import { splitRecord, viewPayload } from "@/lib/ui/payload-view";

describe("attempt payloads in the attempt view", () => {
  it("takes an HTTP body out of the recorded request and indents it when it is JSON", () => {
    const record = { method: "POST", url: "https://example.test/hook", headers: { "content-type": "application/json" }, body: '{"order":{"id":7,"note":"say \\"hi\\""}}', bodyBytes: 38 };
    const { rest, payload } = splitRecord(record);
    expect(rest).toEqual({ method: "POST", url: "https://example.test/hook", headers: { "content-type": "application/json" }, bodyBytes: 38 });
    expect(payload).toEqual({ key: "body", format: "JSON", text: '{\n  "order": {\n    "id": 7,\n    "note": "say \\"hi\\""\n  }\n}' });
  });

  it("shows an MQTT or AMQP payload that is not JSON as the text it was", () => {
    const { payload } = splitRecord({ topic: "t/1", payload: "temperature=21.5", payloadBytes: 16 });
    expect(payload).toEqual({ key: "payload", format: "text", text: "temperature=21.5" });
  });

  it("keeps a bare word or number as text, though JSON would parse it", () => {
    expect(viewPayload("42")).toEqual({ format: "text", text: "42" });
    expect(viewPayload("true")).toEqual({ format: "text", text: "true" });
  });

  it("says when the recorded copy is only the first part, which no longer parses as JSON", () => {
    const first = '{"items":[1,2,3';
    const { payload } = splitRecord({ payload: first, payloadBytes: 5000 });
    expect(payload).toEqual({ key: "payload", format: "text", text: first, cut: "first 15 bytes of 4.9 KB" });
  });

  it("indents a payload already stored as JSON, and leaves records without one whole", () => {
    expect(splitRecord({ status: 200, body: { ok: true } }).payload).toEqual({ key: "body", format: "JSON", text: '{\n  "ok": true\n}' });
    expect(splitRecord({ ack: "PUBACK", body: null })).toEqual({ rest: { ack: "PUBACK", body: null }, payload: null });
    expect(splitRecord({ status: 204, body: "" }).payload).toBeNull();
    expect(splitRecord(null)).toEqual({ rest: null, payload: null });
  });
});
