// The body parsed once at accept time: which bodies count as JSON, and which JSON Postgres would
// refuse as jsonb (then the event keeps the text only, instead of failing every delivery's insert).
import { describe, expect, it } from "vitest";
import { parseJsonBody } from "@/lib/triggers/json-body";

const json = (body: string, contentType = "application/json") => parseJsonBody({ body, bodyEncoding: "utf8", headers: { "content-type": contentType } });

describe("parseJsonBody", () => {
  it("parses a body declared as JSON, or text that starts like an object or array", () => {
    expect(json('{"a":1}')).toEqual({ value: { a: 1 }, storable: true });
    expect(json("5", "application/vnd.api+json")).toEqual({ value: 5, storable: true });
    expect(json(' [1,"x"]', "text/plain")).toEqual({ value: [1, "x"], storable: true });
  });

  it("leaves text, broken JSON and base64 bodies unparsed", () => {
    expect(json("5", "text/plain")).toBeUndefined();
    expect(json("{not json")).toBeUndefined();
    expect(json("")).toBeUndefined();
    expect(parseJsonBody({ body: Buffer.from("{}").toString("base64"), bodyEncoding: "base64", headers: { "content-type": "application/json" } })).toBeUndefined();
  });

  it("marks what jsonb refuses as not storable: \\u0000, lone surrogates, numbers at or past numeric's limits, deep nesting", () => {
    expect(json('{"a":"x\\u0000"}')?.storable).toBe(false);
    expect(json('{"a":"\\ud800"}')?.storable).toBe(false);
    expect(json('{"a":"\\udc00"}')?.storable).toBe(false);
    expect(json('{"a":1e99999}')?.storable).toBe(false);
    expect(json(`{"a":${"1".repeat(10_000)}}`)?.storable).toBe(false);
    expect(json(`${"[".repeat(1_001)}${"]".repeat(1_001)}`)?.storable).toBe(false);
  });

  it("keeps what only looks alike storable: paired surrogates, hex ids in strings, nesting at the cap", () => {
    expect(json('{"a":"\\ud83d\\ude00"}')?.storable).toBe(true);
    expect(json('{"sha":"3e12345","long":"' + "7".repeat(10_000) + '"}')?.storable).toBe(true);
    expect(json(`${"[".repeat(1_000)}${"]".repeat(1_000)}`)?.storable).toBe(true);
  });
});
