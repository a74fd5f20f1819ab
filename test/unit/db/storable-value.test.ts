import { describe, expect, it } from "vitest";
import { storableValue } from "@/lib/db/storable-value";

describe("what Postgres text and jsonb can hold", () => {
  it("replaces U+0000 and lone surrogates in strings and keys with U+FFFD, keeping pairs and other values", () => {
    const recorded = { body: "a\u0000b\uD800c\uDC00d😀", headers: { "x\u0000": "v" }, list: ["\uDBFF", 1, null, true], nested: { n: 2 } };
    expect(storableValue(recorded)).toEqual({ body: "a\uFFFDb\uFFFDc\uFFFDd😀", headers: { "x\uFFFD": "v" }, list: ["\uFFFD", 1, null, true], nested: { n: 2 } });
  });

  it("leaves objects that are not plain data as they are (a Buffer still serialises as before)", () => {
    const buffer = Buffer.from([0]);
    expect(storableValue({ correlationData: buffer }).correlationData).toBe(buffer);
  });
});
