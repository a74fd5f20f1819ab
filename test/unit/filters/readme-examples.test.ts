// The README's filter and transform examples (issue #15) are real: every filter it shows, in a
// JSON block or inline in the operator table, passes parseFilter; the refusal it quotes is the
// 422 its bad filter gets; the filter-test answer it shows is what matchFilter says for its
// sample; the stopped-evaluation reason is the evaluator's; and its transform passes the save-time
// check and shapes an HTTP message in the sandbox.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError, errorBody } from "@/lib/errors";
import { filterLimits, parseFilter } from "@/lib/filters/filter-schema";
import { matchFilter } from "@/lib/filters/match-filter";
import { checkTransformSource } from "@/lib/transforms/check-transform";
import { runTransform } from "@/lib/transforms/run-transform";

const readme = readFileSync(path.join(process.cwd(), "README.md"), "utf8");

function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  const end = readme.indexOf("\n## ", start + 1);
  expect(start, `README has "## ${title}"`).toBeGreaterThan(0);
  return readme.slice(start, end);
}

const filters = section("Filters");
const transforms = section("Transforms");
const jsonBlocks = [...filters.matchAll(/```json\n([\s\S]*?)\n```/g)].map((match) => JSON.parse(match[1] ?? "") as Record<string, unknown>);
const requestParts = new Set(["method", "path", "query", "headers", "body", "$or", "$not"]);
const isFilter = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).every((key) => requestParts.has(key));

/** Inline code such as `{"body": {"test": false}}` that is a whole filter (operator shapes like `{"prefix": "…"}` are not). */
const inlineFilters = [...filters.matchAll(/`(\{"[^`]*\})`/g)].flatMap((match) => {
  try {
    const value = JSON.parse(match[1] ?? "") as unknown;
    return isFilter(value) ? [value] : [];
  } catch {
    return [];
  }
});

function refusalOf(filter: unknown): unknown {
  try {
    parseFilter(filter);
  } catch (error) {
    if (error instanceof AppError) return errorBody(error);
    throw error;
  }
  throw new Error("accepted, expected a refusal");
}

describe("README filter examples", () => {
  it("has the examples: blocks, every operator inline, a refusal and a filter-test answer", () => {
    expect(jsonBlocks.length).toBeGreaterThanOrEqual(6);
    expect(inlineFilters.length).toBeGreaterThanOrEqual(15);
    for (const operator of ["prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists", "$or", "$not"]) {
      expect(
        inlineFilters.some((filter) => JSON.stringify(filter).includes(`"${operator}"`)),
        operator,
      ).toBe(true);
    }
  });

  it.each(inlineFilters.map((filter) => [JSON.stringify(filter), filter]))("inline %s parses", (_text, filter) => {
    expect(parseFilter(filter)).toEqual(filter);
  });

  it("every JSON block is a filter, a request carrying one, or the answer to the block before it", () => {
    let checked = 0;
    jsonBlocks.forEach((block, index) => {
      const previous = jsonBlocks[index - 1];
      if ("error" in block) {
        expect(refusalOf(previous)).toEqual(block);
      } else if ("matched" in block) {
        const sample = (previous?.sample ?? {}) as { headers?: Record<string, string>; body?: unknown };
        const subject = { method: "POST", path: "/", query: {}, headers: sample.headers ?? {}, body: sample.body };
        expect(matchFilter(parseFilter(previous?.filter), subject)).toEqual(block);
      } else if (jsonBlocks[index + 1] && "error" in (jsonBlocks[index + 1] ?? {})) {
        expect(isFilter(block)).toBe(true); // the refused filter: the next block is its 422
      } else if ("filter" in block) {
        expect(() => parseFilter(block.filter)).not.toThrow();
      } else {
        expect(isFilter(block), JSON.stringify(block)).toBe(true);
        expect(() => parseFilter(block)).not.toThrow();
      }
      checked += 1;
    });
    expect(checked).toBe(jsonBlocks.length);
  });

  it("quotes the caps and the stopped-evaluation reason as the code has them", () => {
    const flat = filters.replace(/\s+/g, " ");
    expect(flat).toContain(`evaluation stopped after ${filterLimits.maxEvaluationSteps} steps: the request's lists are too long for this filter`);
    expect(flat).toContain(`${filterLimits.maxDepth} levels deep, ${filterLimits.maxConditions} conditions`);
    expect(flat).toContain(`${filterLimits.maxArrayItems} items per list, 4,096 characters per string or name, 32 KB as JSON`);
  });
});

describe("README transform example", () => {
  const source = /```js\n([\s\S]*?)\n```/.exec(transforms)?.[1] ?? "";

  it("passes the save-time check", () => {
    expect(source).toContain("function transform(event)");
    expect(() => checkTransformSource(source, "transform")).not.toThrow();
  });

  it("shapes an HTTP message, and drops a test order", async () => {
    const request = (body: unknown) => ({
      method: "POST",
      path: "/hooks/shop",
      query: {},
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      bodyEncoding: "utf8" as const,
      receivedAt: "2026-12-07T08:00:00.000Z",
    });
    const run = (body: unknown) => runTransform({ kind: "http", source, eventId: "0193aaaa-0000-7000-8000-000000000001", request: request(body), vars: { region: "eu" } });
    expect(await run({ id: 42, amount: 99.5 })).toEqual({
      status: "message",
      message: { kind: "http", headers: { "x-order": "42" }, body: '{"id":42,"total":99.5,"region":"eu"}', contentType: "application/json" },
    });
    expect(await run({ id: 43, amount: 1, test: true })).toEqual({ status: "dropped" });
  });
});
