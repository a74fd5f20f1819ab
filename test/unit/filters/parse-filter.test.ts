// Every way a filter is refused: a 422 (validation_failed) whose message and field name the path
// inside the filter, through parseFilter and through filterSchema inside an input schema. The caps
// (depth, conditions, list items, string length, bytes) are checked without recursion.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, validationError } from "@/lib/errors";
import { filterLimits, filterSchema, parseFilter } from "@/lib/filters/filter-schema";

function refusal(input: unknown, field?: string): { status: number; code: string; field: string | undefined; message: string } {
  try {
    parseFilter(input, field);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, code: error.code, field: error.field, message: error.message };
  }
  throw new Error("accepted, expected a refusal");
}

const refusedAt = (input: unknown) => refusal(input).field;

describe("parseFilter accepts", () => {
  it("every operator, $or and $not, and returns the filter unchanged", () => {
    const filter = {
      method: ["POST", "PUT"],
      path: { prefix: "/hooks/" },
      query: { source: { "anything-but": ["test"] }, page: { exists: false } },
      headers: { "X-Kind": { "equals-ignore-case": "order" } },
      body: { type: { suffix: ".created" }, amount: { numeric: [">", 0, "<=", 100] }, test: false, note: null, $or: [{ a: 1 }, { b: "x" }], $not: { c: true } },
      $not: { method: "DELETE" },
    };
    expect(parseFilter(filter)).toBe(filter);
  });

  it("an empty filter, and a value or operator for a text body", () => {
    expect(parseFilter({})).toEqual({});
    expect(parseFilter({ body: { prefix: "ping" } })).toEqual({ body: { prefix: "ping" } });
    expect(parseFilter({ body: ["ping", "pong"] })).toEqual({ body: ["ping", "pong"] });
  });

  it("a filter exactly at the depth cap", () => {
    let nested: unknown = "x";
    for (let level = 0; level < filterLimits.maxDepth; level += 1) nested = { a: nested };
    expect(() => parseFilter({ body: nested })).not.toThrow();
    expect(refusedAt({ body: { a: nested } })).toBe(`filter.body${".a".repeat(filterLimits.maxDepth)}`);
  });
});

describe("parseFilter refuses with a 422 naming the path", () => {
  it.each<[string, unknown, string, string]>([
    ["a filter that is not an object", ["method"], "filter", "must be an object"],
    ["a string filter", "method=POST", "filter", "must be an object"],
    ["a key that is no part of a request", { bodyy: {} }, "filter.bodyy", "is not part of a request"],
    ["a number for a method", { method: 5 }, "filter.method", 'method, path, query and header values are strings: write "5"'],
    ["a boolean query value", { query: { debug: true } }, "filter.query.debug", 'write "true"'],
    ["query that is not an object of names", { query: "a=1" }, "filter.query", 'write {"query": {"<name>": …}}'],
    ["headers that are a list", { headers: ["x-kind"] }, "filter.headers", 'write {"headers": {"<name>": …}}'],
    ["an object under a header name", { headers: { "x-kind": { a: "b" } } }, "filter.headers.x-kind", "is a string: match it with a value, a list or an operator"],
    ["numeric on a query value", { query: { n: { numeric: [">", 1] } } }, "filter.query.n.numeric", "numeric compares numbers in the body"],
    ["numeric with an unknown operator", { body: { amount: { numeric: [">>", 1] } } }, "filter.body.amount.numeric", "numeric takes pairs of an operator (<, <=, =, >=, >) and a number"],
    ["numeric with a string bound", { body: { amount: { numeric: [">", "1"] } } }, "filter.body.amount.numeric", "numeric takes pairs"],
    ["numeric with an odd list", { body: { amount: { numeric: [">", 1, "<"] } } }, "filter.body.amount.numeric", "numeric takes pairs"],
    ["numeric with an empty list", { body: { amount: { numeric: [] } } }, "filter.body.amount.numeric", "numeric takes pairs"],
    ["numeric with a number", { body: { amount: { numeric: 5 } } }, "filter.body.amount.numeric", "numeric takes pairs"],
    ["numeric with more than 4 pairs", { body: { amount: { numeric: [">", 0, ">", 1, ">", 2, ">", 3, ">", 4] } } }, "filter.body.amount.numeric", "numeric takes pairs"],
    ["a $or alternative under query that is not an object", { query: { $or: ["a"] } }, "filter.query.$or.0", 'write {"query": {"<name>": …}}'],
    ["prefix with a number", { path: { prefix: 1 } }, "filter.path.prefix", "prefix takes a string"],
    ["suffix with a list", { body: { type: { suffix: ["a"] } } }, "filter.body.type.suffix", "suffix takes a string"],
    ["equals-ignore-case with null", { body: { type: { "equals-ignore-case": null } } }, "filter.body.type.equals-ignore-case", "equals-ignore-case takes a string"],
    ["exists with a string", { body: { type: { exists: "yes" } } }, "filter.body.type.exists", "exists takes true or false"],
    ["anything-but with an empty list", { body: { type: { "anything-but": [] } } }, "filter.body.type.anything-but", "a non-empty list"],
    ["anything-but with an object", { body: { type: { "anything-but": [{ a: 1 }] } } }, "filter.body.type.anything-but", "anything-but takes a value or a list of values: an object"],
    ["anything-but with a number on a header", { headers: { n: { "anything-but": 1 } } }, "filter.headers.n.anything-but", "values are strings"],
    ["an operator beside other keys", { body: { amount: { numeric: [">", 1], exists: true } } }, "filter.body.amount.numeric", "numeric is an operator: it stands alone in its object"],
    ["an unknown $ operator", { body: { $and: [{ a: 1 }] } }, "filter.body.$and", "is not an operator"],
    ["$or that is not a list", { $or: { method: "GET" } }, "filter.$or", "$or takes a non-empty list of alternatives"],
    ["an empty $or", { body: { $or: [] } }, "filter.body.$or", "$or takes a non-empty list"],
    ["a $or alternative that is not a filter", { $or: [{ method: "GET" }, "POST"] }, "filter.$or.1", "must be an object"],
    ["a bad value deep inside $or and $not", { $or: [{ $not: { body: { a: { prefix: 2 } } } }] }, "filter.$or.0.$not.body.a.prefix", "prefix takes a string"],
    ["an empty list", { body: { type: [] } }, "filter.body.type", "a list needs at least one value"],
    ["an object in a list", { body: { items: [{ sku: "a" }] } }, "filter.body.items.0", "a list holds values and operators; for alternative objects use $or"],
    ["a bad operator in a list", { path: ["/a", { prefix: 3 }] }, "filter.path.1.prefix", "prefix takes a string"],
    ["a value that is not JSON", { body: { at: new Date(0) } }, "filter.body.at", "must be a string, number, boolean or null"],
    ["undefined", { body: { at: undefined } }, "filter.body.at", "must be a string, number, boolean or null"],
    ["a number that is not finite", { body: { n: Number.NaN } }, "filter.body.n", "must be a string, number, boolean or null"],
  ])("%s", (_name, input, field, message) => {
    const answer = refusal(input);
    expect(answer).toMatchObject({ status: 422, code: "validation_failed", field });
    expect(answer.message.startsWith(`${field}: `)).toBe(true);
    expect(answer.message).toContain(message);
  });

  it("names the field it was given", () => {
    expect(refusal({ method: 1 }, "sample.filter")).toMatchObject({ field: "sample.filter.method", message: expect.stringMatching(/^sample\.filter\.method: /) });
  });
});

describe("the caps", () => {
  const nest = (levels: number, make: (inner: unknown) => unknown, leaf: unknown) => {
    let value = leaf;
    for (let level = 0; level < levels; level += 1) value = make(value);
    return value;
  };

  it("refuse a body nested 10,000 levels deep at the level that went too deep", () => {
    const answer = refusal({ body: nest(10_000, (inner) => ({ a: inner }), 1) });
    expect(answer.field).toBe(`filter.body${".a".repeat(filterLimits.maxDepth)}`);
    expect(answer.message).toContain(`nests deeper than ${filterLimits.maxDepth} levels`);
  });

  it("refuse $not nested 10,000 levels deep, and lists in lists", () => {
    expect(refusal(nest(10_000, (inner) => ({ $not: inner }), { method: "GET" })).field).toBe(`filter${".$not".repeat(filterLimits.maxDepth + 1)}`);
    expect(refusal({ body: { a: nest(10_000, (inner) => [inner], "x") } }).message).toContain("a list holds values and operators");
    expect(refusal(nest(10_000, (inner) => ({ $or: [inner] }), {})).message).toContain(`nests deeper than ${filterLimits.maxDepth} levels`);
  });

  it("refuse more conditions than the cap", () => {
    const fields = (count: number) => JSON.parse(`{${Array.from({ length: count }, (_, index) => `"f${index}":${index}`).join(",")}}`) as Record<string, unknown>;
    expect(() => parseFilter({ body: fields(filterLimits.maxConditions - 2) })).not.toThrow();
    expect(refusal({ body: fields(filterLimits.maxConditions) }).message).toContain(`more than ${filterLimits.maxConditions} conditions`);
    expect(refusal({ body: fields(20_000) }).field).toBe("filter.body");
  });

  it("count anything-but's values as conditions", () => {
    const values = Array.from({ length: 90 }, (_, index) => `v${index}`);
    const filter = { body: { a: { "anything-but": values }, b: { "anything-but": values }, c: { "anything-but": values } } };
    expect(refusal(filter).message).toContain("conditions");
  });

  it("refuse a list longer than the cap, however long", () => {
    const list = (count: number) => Array.from({ length: count }, (_, index) => `v${index}`);
    expect(() => parseFilter({ body: { a: list(filterLimits.maxArrayItems) } })).not.toThrow();
    expect(refusal({ body: { a: list(filterLimits.maxArrayItems + 1) } })).toMatchObject({ field: "filter.body.a", message: expect.stringContaining("at most 100 values") });
    expect(refusal({ body: { a: { "anything-but": list(5_000_000) } } }).field).toBe("filter.body.a.anything-but");
    expect(refusal({ $or: Array.from({ length: 101 }, () => ({})) }).field).toBe("filter.$or");
  });

  it("refuse a string or a name longer than the cap", () => {
    const long = "x".repeat(filterLimits.maxStringLength + 1);
    expect(() => parseFilter({ body: { a: "x".repeat(filterLimits.maxStringLength) } })).not.toThrow();
    expect(refusal({ body: { a: long } })).toMatchObject({ field: "filter.body.a", message: expect.stringContaining("longer than 4096 characters") });
    expect(refusal({ path: { prefix: long } }).field).toBe("filter.path.prefix");
    expect(refusal({ body: { [long]: 1 } }).message).toContain("is a name longer than 4096 characters");
  });

  it("refuse a filter larger than the byte cap as a whole", () => {
    const values = Array.from({ length: 9 }, () => "é".repeat(2000));
    expect(refusal({ body: { a: values } })).toMatchObject({ field: "filter", message: `filter: is larger than ${filterLimits.maxFilterBytes} bytes as JSON` });
  });
});

describe("filterSchema", () => {
  const inputSchema = z.object({ name: z.string(), filter: filterSchema.nullable().optional() });

  it("passes a valid filter through, and null", () => {
    expect(inputSchema.parse({ name: "a", filter: { body: { type: "x" } } }).filter).toEqual({ body: { type: "x" } });
    expect(inputSchema.parse({ name: "a", filter: null }).filter).toBeNull();
  });

  it("puts the issue at the path inside the filter, so the 422 names it", () => {
    const result = inputSchema.safeParse({ name: "a", filter: { body: { amount: { numeric: [">", "x"] } } } });
    expect(result.success).toBe(false);
    const error = validationError(result.error as z.ZodError);
    expect(error.field).toBe("filter.body.amount.numeric");
    expect(error.message).toBe('filter.body.amount.numeric: numeric takes pairs of an operator (<, <=, =, >=, >) and a number, e.g. [">", 0, "<=", 100]');
  });

  it("refuses a deeply nested filter without overflowing the stack", () => {
    let nested: unknown = 1;
    for (let level = 0; level < 10_000; level += 1) nested = { a: nested };
    const result = inputSchema.safeParse({ name: "a", filter: JSON.parse(`${'{"body":'.repeat(1)}${'{"a":'.repeat(10_000)}1${"}".repeat(10_001)}`) as unknown });
    expect(validationError(result.error as z.ZodError).field).toBe(`filter.body${".a".repeat(filterLimits.maxDepth)}`);
    expect(inputSchema.safeParse({ name: "a", filter: { body: nested } }).success).toBe(false);
  });
});
