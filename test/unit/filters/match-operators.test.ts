// Every operator of the filter language against one order request: a match, a non-match, a type
// mismatch, a list in the request (any element) and a missing field, each with the reason an
// operator reads in the filter-test answer.
import { describe, expect, it } from "vitest";
import { parseFilter } from "@/lib/filters/filter-schema";
import { matchFilter, type FilterSubject } from "@/lib/filters/match-filter";
import { orderRequest, withBody } from "./subject-fixture";

const match = (filter: unknown, subject: FilterSubject = orderRequest) => matchFilter(parseFilter(filter), subject);
const matched = (filter: unknown, subject?: FilterSubject) => match(filter, subject).matched;

describe("exact values", () => {
  it("match a string, a number, a boolean and null exactly", () => {
    expect(match({ body: { type: "order.created", amount: 100, test: false, note: null } })).toEqual({
      matched: true,
      reasons: ['body.type: "order.created" is "order.created"', "body.amount: 100 is 100", "body.test: false is false", "body.note: null is null"],
    });
  });

  it("say which value differed", () => {
    expect(match({ body: { type: "order.updated" } })).toEqual({ matched: false, reasons: ['body.type: "order.created" is not "order.updated"'] });
  });

  it("never equate a string with a number, or false with null", () => {
    expect(match({ body: { amount: "100" } })).toEqual({ matched: false, reasons: ['body.amount: 100 is not "100"'] });
    expect(matched({ body: { test: null } })).toBe(false);
    expect(matched({ body: { note: false } })).toBe(false);
  });

  it("do not match a missing field, not even with null", () => {
    expect(match({ body: { refund: null } })).toEqual({ matched: false, reasons: ["body.refund is missing"] });
  });

  it("match when any element of a list in the request is the value", () => {
    expect(match({ body: { tags: "export" } })).toEqual({ matched: true, reasons: ['body.tags[1]: "export" is "export"'] });
    expect(match({ body: { tags: "archive" } })).toEqual({ matched: false, reasons: ['body.tags: no element of ["priority", "export"] is "archive"'] });
  });

  it("do not match an object or a list against a value", () => {
    expect(matched({ body: { customer: "c_1" } })).toBe(false);
    expect(matched({ body: { tags: "x" } }, withBody({ tags: [] }))).toBe(false);
  });
});

describe("a list of values (any of)", () => {
  it("matches when the value is one of them", () => {
    expect(match({ body: { type: ["order.paid", "order.created"] } })).toEqual({ matched: true, reasons: ['body.type: "order.created" is one of ["order.paid", "order.created"]'] });
  });

  it("does not match otherwise, and says so", () => {
    expect(match({ body: { type: ["order.updated"] } })).toEqual({ matched: false, reasons: ['body.type: "order.created" is not one of ["order.updated"]'] });
  });

  it("may mix values and operators", () => {
    expect(match({ path: ["/other", { prefix: "/hooks/" }] })).toEqual({ matched: true, reasons: ['path: "/hooks/orders" matches ["/other", prefix "/hooks/"]'] });
    expect(matched({ path: ["/other", { suffix: "/refunds" }] })).toBe(false);
  });

  it("matches a list in the request when any element is any of the values", () => {
    expect(matched({ body: { tags: ["archive", "priority"] } })).toBe(true);
    expect(matched({ body: { tags: ["archive", "draft"] } })).toBe(false);
  });
});

describe("prefix and suffix", () => {
  it("match the start or the end of a string", () => {
    expect(match({ body: { type: { prefix: "order." } } })).toEqual({ matched: true, reasons: ['body.type: "order.created" starts with "order."'] });
    expect(match({ body: { type: { suffix: ".created" } } })).toEqual({ matched: true, reasons: ['body.type: "order.created" ends with ".created"'] });
  });

  it("say what the string did not start or end with", () => {
    expect(match({ body: { type: { prefix: "refund." } } }).reasons).toEqual(['body.type: "order.created" does not start with "refund."']);
    expect(match({ path: { suffix: "/refunds" } }).reasons).toEqual(['path: "/hooks/orders" does not end with "/refunds"']);
  });

  it("are case-sensitive and never match a number", () => {
    expect(matched({ body: { type: { prefix: "Order." } } })).toBe(false);
    expect(matched({ body: { amount: { prefix: "1" } } })).toBe(false);
    expect(matched({ body: { amount: { suffix: "0" } } })).toBe(false);
  });

  it("match any element of a list in the request", () => {
    expect(match({ body: { tags: { prefix: "exp" } } })).toEqual({ matched: true, reasons: ['body.tags[1]: "export" starts with "exp"'] });
    expect(matched({ body: { items: { sku: { suffix: "-1" } } } })).toBe(true);
    expect(matched({ body: { items: { sku: { suffix: "-9" } } } })).toBe(false);
  });

  it("do not match a missing field", () => {
    expect(match({ body: { reference: { prefix: "" } } })).toEqual({ matched: false, reasons: ["body.reference is missing"] });
  });
});

describe("equals-ignore-case", () => {
  it("matches a string whatever its case", () => {
    expect(match({ body: { customer: { email: { "equals-ignore-case": "ann@example.COM" } } } })).toEqual({
      matched: true,
      reasons: ['body.customer.email: "Ann@Example.com" equals "ann@example.COM" ignoring case'],
    });
  });

  it("does not match another string, a number or a missing field", () => {
    expect(match({ body: { currency: { "equals-ignore-case": "usd" } } }).reasons).toEqual(['body.currency: "EUR" does not equal "usd" ignoring case']);
    expect(matched({ body: { amount: { "equals-ignore-case": "100" } } })).toBe(false);
    expect(matched({ body: { nothing: { "equals-ignore-case": "x" } } })).toBe(false);
  });
});

describe("anything-but", () => {
  it("matches a value other than the one given", () => {
    expect(match({ body: { currency: { "anything-but": "USD" } } })).toEqual({ matched: true, reasons: ['body.currency: "EUR" is anything but "USD"'] });
    expect(match({ body: { currency: { "anything-but": "EUR" } } })).toEqual({ matched: false, reasons: ['body.currency: "EUR" is excluded by anything-but "EUR"'] });
  });

  it("takes a list of values to exclude", () => {
    expect(matched({ body: { type: { "anything-but": ["order.test", "order.deleted"] } } })).toBe(true);
    expect(match({ body: { type: { "anything-but": ["order.test", "order.created"] } } }).reasons).toEqual([
      'body.type: "order.created" is excluded by anything-but ["order.test", "order.created"]',
    ]);
    expect(matched({ body: { amount: { "anything-but": [0, 100] } } })).toBe(false);
    expect(matched({ body: { amount: { "anything-but": [0, 99] } } })).toBe(true);
  });

  it('compares by type: the number 100 is anything but the string "100"', () => {
    expect(matched({ body: { amount: { "anything-but": "100" } } })).toBe(true);
  });

  it("does not match a missing field or an object", () => {
    expect(match({ body: { refund: { "anything-but": "x" } } }).reasons).toEqual(["body.refund is missing"]);
    expect(matched({ body: { customer: { "anything-but": "x" } } })).toBe(false);
  });

  it("matches a list in the request when any element is not excluded", () => {
    expect(matched({ body: { tags: { "anything-but": "priority" } } })).toBe(true);
    expect(matched({ body: { tags: { "anything-but": ["priority", "export"] } } })).toBe(false);
  });
});

describe("numeric", () => {
  it("matches a number within a range", () => {
    expect(match({ body: { amount: { numeric: [">", 0, "<=", 100] } } })).toEqual({ matched: true, reasons: ["body.amount: 100 is > 0 and <= 100"] });
  });

  it("includes or excludes the bounds as written", () => {
    expect(matched({ body: { amount: { numeric: [">", 0, "<", 100] } } })).toBe(false);
    expect(matched({ body: { amount: { numeric: [">=", 100] } } })).toBe(true);
    expect(matched({ body: { amount: { numeric: [">", 100] } } })).toBe(false);
    expect(matched({ body: { amount: { numeric: ["<", 100.5] } } })).toBe(true);
  });

  it("matches equality", () => {
    expect(matched({ body: { amount: { numeric: ["=", 100] } } })).toBe(true);
    expect(match({ body: { amount: { numeric: ["=", 99] } } })).toEqual({ matched: false, reasons: ["body.amount: 100 is not = 99"] });
  });

  it("never matches a numeric string, a boolean or a missing field", () => {
    expect(match({ body: { amount: { numeric: ["=", 100] } } }, withBody({ amount: "100" })).reasons).toEqual(['body.amount: "100" is not = 100']);
    expect(matched({ body: { test: { numeric: ["=", 0] } } })).toBe(false);
    expect(match({ body: { total: { numeric: [">", 0] } } }).reasons).toEqual(["body.total is missing"]);
  });

  it("matches any element of a list in the request, or any item's field", () => {
    expect(match({ body: { items: { price: { numeric: [">", 35] } } } })).toEqual({ matched: true, reasons: ["body.items[1].price: 40 is > 35"] });
    expect(matched({ body: { items: { price: { numeric: [">", 40] } } } })).toBe(false);
    expect(matched({ body: { scores: { numeric: [">", 5] } } }, withBody({ scores: [1, 9] }))).toBe(true);
  });
});

describe("exists", () => {
  it("true matches a present field, even null, false or an empty list", () => {
    expect(match({ body: { note: { exists: true }, test: { exists: true } } })).toEqual({ matched: true, reasons: ["body.note exists", "body.test exists"] });
    expect(matched({ body: { tags: { exists: true } } }, withBody({ tags: [] }))).toBe(true);
  });

  it("true does not match a missing field", () => {
    expect(match({ body: { refund: { exists: true } } })).toEqual({ matched: false, reasons: ["body.refund is missing"] });
  });

  it("false matches a missing field, also below a missing parent or a text body", () => {
    expect(match({ body: { refund: { exists: false } } })).toEqual({ matched: true, reasons: ["body.refund is missing"] });
    expect(matched({ body: { refund: { id: { exists: false } } } })).toBe(true);
    expect(matched({ body: { refund: { exists: false } } }, withBody("plain text"))).toBe(true);
  });

  it("false does not match a present field", () => {
    expect(match({ body: { note: { exists: false } } })).toEqual({ matched: false, reasons: ["body.note exists"] });
  });

  it("under a list of objects, tests each element", () => {
    const subject = withBody({ items: [{ sku: "a", discount: 5 }, { sku: "b" }] });
    expect(matched({ body: { items: { discount: { exists: false } } } }, subject)).toBe(true);
    expect(matched({ body: { items: { sku: "a", discount: { exists: false } } } }, subject)).toBe(false);
  });
});
