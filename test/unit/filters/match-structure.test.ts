// How the parts of a filter combine: the request's parts, nested bodies, lists of objects, $or,
// $not, case-insensitive header names, repeated query keys, text bodies and stored events.
import { describe, expect, it } from "vitest";
import { parseFilter } from "@/lib/filters/filter-schema";
import { eventSubject, matchFilter, type FilterSubject } from "@/lib/filters/match-filter";
import { orderRequest, withBody } from "./subject-fixture";

const match = (filter: unknown, subject: FilterSubject = orderRequest) => matchFilter(parseFilter(filter), subject);
const matched = (filter: unknown, subject?: FilterSubject) => match(filter, subject).matched;

describe("the parts of a request", () => {
  it("match method and path", () => {
    expect(match({ method: "POST", path: { prefix: "/hooks/" } })).toEqual({ matched: true, reasons: ['method: "POST" is "POST"', 'path: "/hooks/orders" starts with "/hooks/"'] });
    expect(match({ method: ["GET", "PUT"] }).reasons).toEqual(['method: "POST" is not one of ["GET", "PUT"]']);
  });

  it("require every key of an object to match, and report each that failed", () => {
    expect(match({ method: "GET", body: { type: "order.created", currency: "USD" } })).toEqual({
      matched: false,
      reasons: ['method: "POST" is not "GET"', 'body.currency: "EUR" is not "USD"'],
    });
  });

  it("match headers whatever the case of their names in the filter or the request", () => {
    expect(match({ headers: { "x-event-kind": "Order.Created" } })).toEqual({ matched: true, reasons: ['headers.x-event-kind: "Order.Created" is "Order.Created"'] });
    expect(matched({ headers: { "X-EVENT-KIND": { prefix: "Order." } } })).toBe(true);
    expect(matched({ headers: { "content-type": "application/json" } }, { ...orderRequest, headers: { "CONTENT-TYPE": "application/json" } })).toBe(true);
  });

  it("match header values case-sensitively unless equals-ignore-case says otherwise", () => {
    expect(matched({ headers: { "x-event-kind": "order.created" } })).toBe(false);
    expect(matched({ headers: { "x-event-kind": { "equals-ignore-case": "order.created" } } })).toBe(true);
  });

  it("match a repeated query key when any of its values matches", () => {
    expect(match({ query: { tag: "b" } })).toEqual({ matched: true, reasons: ['query.tag[1]: "b" is "b"'] });
    expect(matched({ query: { tag: "c" } })).toBe(false);
    expect(matched({ query: { source: "shop", page: { exists: false } } })).toBe(true);
  });

  it("match query names exactly, also names that look like operators", () => {
    const subject = { ...orderRequest, query: { prefix: "x" } };
    expect(matched({ query: { prefix: "x" } }, subject)).toBe(true);
    expect(matched({ query: { Source: "shop" } })).toBe(false);
  });

  it("match a text body as one string", () => {
    const subject = withBody("ping from the shop");
    expect(matched({ body: { prefix: "ping" } }, subject)).toBe(true);
    expect(matched({ body: "ping from the shop" }, subject)).toBe(true);
    expect(match({ body: { type: "order.created" } }, subject).reasons).toEqual(["body.type is missing"]);
  });
});

describe("nested bodies and lists of objects", () => {
  it("descend into nested objects", () => {
    expect(match({ body: { customer: { address: { country: ["DE", "AT"] } } } })).toEqual({ matched: true, reasons: ['body.customer.address.country: "DE" is one of ["DE", "AT"]'] });
    expect(match({ body: { customer: { address: { country: "FR" } } } }).reasons).toEqual(['body.customer.address.country: "DE" is not "FR"']);
  });

  it("match a list of objects when one element matches all the keys together", () => {
    expect(match({ body: { items: { sku: "valve-1", qty: 1 } } })).toEqual({ matched: true, reasons: ['body.items[1].sku: "valve-1" is "valve-1"', "body.items[1].qty: 1 is 1"] });
    expect(match({ body: { items: { sku: "valve-1", qty: 2 } } })).toEqual({ matched: false, reasons: ["body.items: no element of a list of 2 matches sku, qty"] });
  });

  it("do not descend into a value that is not an object", () => {
    expect(matched({ body: { type: { name: "order" } } })).toBe(false);
    expect(matched({ body: { amount: { value: { exists: true } } } })).toBe(false);
  });

  it("unwrap one level of lists: a list inside a list is one value", () => {
    const subject = withBody({ matrix: [["a", "b"], "c"] });
    expect(matched({ body: { matrix: "c" } }, subject)).toBe(true);
    expect(matched({ body: { matrix: "a" } }, subject)).toBe(false);
  });
});

describe("$or", () => {
  it("matches when any alternative matches, and names the one that did", () => {
    expect(match({ $or: [{ method: "GET" }, { body: { currency: "EUR" } }] })).toEqual({ matched: true, reasons: ['body.currency: "EUR" is "EUR"'] });
  });

  it("does not match when none does, and says why each failed", () => {
    expect(match({ $or: [{ method: "GET" }, { body: { currency: "USD" } }] })).toEqual({
      matched: false,
      reasons: ["request: none of the 2 $or alternatives matched", 'method: "POST" is not "GET"', 'body.currency: "EUR" is not "USD"'],
    });
  });

  it("works inside the body, beside other keys that must match too", () => {
    const filter = { body: { type: "order.created", $or: [{ amount: { numeric: [">=", 500] } }, { customer: { address: { country: "DE" } } }] } };
    expect(matched(filter)).toBe(true);
    expect(matched(filter, withBody({ type: "order.created", amount: 10, customer: { address: { country: "FR" } } }))).toBe(false);
    expect(matched(filter, withBody({ type: "order.paid", amount: 900 }))).toBe(false);
  });

  it("works on query and header names", () => {
    expect(matched({ headers: { $or: [{ "x-missing": "1" }, { "X-Event-Kind": { suffix: ".Created" } }] } })).toBe(true);
    expect(matched({ query: { $or: [{ source: "pos" }, { tag: "z" }] } })).toBe(false);
  });
});

describe("$not", () => {
  it("inverts the filter it holds", () => {
    expect(match({ $not: { body: { test: true } } })).toEqual({ matched: true, reasons: ["$not held: body.test: false is not true"] });
    expect(match({ $not: { method: "POST" } })).toEqual({ matched: false, reasons: ['excluded by $not: method: "POST" is "POST"'] });
  });

  it("on a list field, holds when no element matches", () => {
    expect(matched({ body: { tags: { $not: "archive" } } })).toBe(true);
    expect(match({ body: { tags: { $not: "export" } } })).toEqual({ matched: false, reasons: ['excluded by $not: body.tags[1]: "export" is "export"'] });
  });

  it("on a list of objects, holds when no element matches the object", () => {
    expect(matched({ body: { items: { $not: { sku: "pump-7" } } } })).toBe(false);
    expect(matched({ body: { items: { $not: { sku: "pump-9" } } } })).toBe(true);
  });

  it("combines with $or and a missing field", () => {
    expect(matched({ $not: { $or: [{ method: "GET" }, { body: { refund: { exists: true } } }] } })).toBe(true);
    expect(matched({ body: { refund: { $not: { exists: true } } } })).toBe(true);
  });
});

describe("reasons", () => {
  it("are at most 10, each short", () => {
    const filter = { body: Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`field${index}`, "x".repeat(500)])) };
    const { matched: result, reasons } = match(filter);
    expect(result).toBe(false);
    expect(reasons).toHaveLength(10);
    expect(reasons[0]).toBe(`body.field0 is missing`);
    const long = match({ body: { type: "y".repeat(2000) } }).reasons[0] ?? "";
    expect(long.length).toBeLessThanOrEqual(300);
    expect(long).toMatch(/^body\.type: "order\.created" is not "y+…"$/);
  });

  it("say an empty filter matches every request", () => {
    expect(match({})).toEqual({ matched: true, reasons: ["the filter is empty: every request matches"] });
  });
});

describe("eventSubject", () => {
  const row = { method: "POST", path: "/hooks/orders", query: { tag: ["a", "b"], n: 3 }, headers: { "x-kind": "a", bad: 1 }, body: '{"type":"order.created"}', body_encoding: "utf8" };

  it("uses body_json when the row has it", () => {
    expect(eventSubject({ ...row, body_json: { type: "from-json" } }).body).toEqual({ type: "from-json" });
  });

  it("parses a JSON body text when body_json is absent or null, and keeps other text as it is", () => {
    expect(eventSubject(row).body).toEqual({ type: "order.created" });
    expect(eventSubject({ ...row, body_json: null }).body).toEqual({ type: "order.created" });
    expect(eventSubject({ ...row, body: "{not json" }).body).toBe("{not json");
    expect(eventSubject({ ...row, body: "42" }).body).toBe("42");
  });

  it("decodes a base64 body to text", () => {
    expect(eventSubject({ ...row, body: Buffer.from("héllo").toString("base64"), body_encoding: "base64" }).body).toBe("héllo");
  });

  it("keeps only string query values and headers", () => {
    const subject = eventSubject(row);
    expect(subject.query).toEqual({ tag: ["a", "b"] });
    expect(subject.headers).toEqual({ "x-kind": "a" });
    expect(matchFilter(parseFilter({ query: { tag: "b" }, headers: { "X-Kind": "a" }, body: { type: "order.created" } }), subject).matched).toBe(true);
  });
});

describe("names that are also Object's own", () => {
  it("are refused as request parts and matched as plain names elsewhere", () => {
    expect(() => parseFilter({ constructor: { prefix: "x" } })).toThrow("filter.constructor: is not part of a request");
    expect(() => parseFilter(JSON.parse('{"__proto__": {"method": "GET"}}'))).toThrow("filter.__proto__: is not part of a request");
    const filter = parseFilter(JSON.parse('{"body": {"__proto__": {"polluted": true}}, "headers": {"__proto__": "x"}}'));
    expect(matchFilter(filter, withBody({})).matched).toBe(false);
    const subject = { ...withBody(JSON.parse('{"__proto__": {"polluted": true}}')), headers: JSON.parse('{"__PROTO__": "x"}') as Record<string, string> };
    expect(matchFilter(filter, subject).matched).toBe(true);
    expect(matched({ body: { toString: { exists: true } } })).toBe(false);
  });
});

describe("the result", () => {
  it("serialises with its reasons, as the filter-test answer does", () => {
    const result = match({ method: "GET" });
    expect(JSON.parse(JSON.stringify(result))).toEqual({ matched: false, reasons: ['method: "POST" is not "GET"'] });
    expect({ ...result }).toEqual({ matched: false, reasons: ['method: "POST" is not "GET"'] });
    expect(result.reasons).toBe(result.reasons);
  });
});
