import { describe, expect, it } from "vitest";
import { searchCondition } from "@/lib/deliveries/search-conditions";

describe("what SQL may check of a search filter", () => {
  it("turns exact body values and any-of lists into one jsonpath equality per field", () => {
    expect(searchCondition({ body: { type: "order.created", customer: { id: 7, vip: true } } })).toEqual({
      bodyPath: '($."type" == "order.created") && (($."customer"."id" == 7) && ($."customer"."vip" == true))',
    });
    expect(searchCondition({ body: { type: ["a", "b"] } })).toEqual({ bodyPath: '$."type" == "a" || $."type" == "b"' });
  });

  it("turns exact methods and paths into column tests, and ANDs them with the body", () => {
    expect(searchCondition({ method: ["POST", "PUT"], path: "/orders", body: { type: "x" } })).toEqual({
      all: [{ column: "method", in: ["POST", "PUT"] }, { column: "path", in: ["/orders"] }, { bodyPath: '$."type" == "x"' }],
    });
  });

  it("keeps an $or only when every branch narrows, and never translates $not", () => {
    expect(searchCondition({ $or: [{ method: "PUT" }, { body: { type: "x" } }] })).toEqual({
      any: [{ column: "method", in: ["PUT"] }, { bodyPath: '$."type" == "x"' }],
    });
    // One branch SQL cannot narrow (a header) makes the whole $or unnarrowed: it must not lose its matches.
    expect(searchCondition({ $or: [{ method: "PUT" }, { headers: { "x-a": "1" } }] })).toBeNull();
    expect(searchCondition({ $not: { body: { type: "x" } } })).toBeNull();
    expect(searchCondition({ body: { $or: [{ a: 1 }, { b: { prefix: "x" } }] } })).toBeNull();
  });

  it("leaves to the evaluator what jsonb compares differently or cannot index", () => {
    for (const body of [
      { type: { prefix: "order." } },
      { type: { "anything-but": "x" } },
      { amount: { numeric: [">", 1] } },
      { type: { exists: true } },
      { type: { "equals-ignore-case": "X" } },
      { type: null },
      { big: 2 ** 60 },
      { ratio: 0.1 },
      { type: ["a", { prefix: "b" }] },
    ]) {
      expect(searchCondition({ body }), JSON.stringify(body)).toBeNull();
    }
    // A body pattern that is a value compares the raw text when the body is not JSON.
    expect(searchCondition({ body: "ping" })).toBeNull();
    expect(searchCondition({ query: { a: "1" }, headers: { b: "2" } })).toBeNull();
    expect(searchCondition({ method: { prefix: "P" } })).toBeNull();
  });

  it("quotes keys and values as JSON strings, which jsonpath reads the same way", () => {
    expect(searchCondition({ body: { 'a"b\\': { "c.d": 'x"\n' } } })).toEqual({ bodyPath: '$."a\\"b\\\\"."c.d" == "x\\"\\n"' });
  });
});
