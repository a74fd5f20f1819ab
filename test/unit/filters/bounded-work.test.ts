// Evaluation is bounded as a property, never timed: the values one evaluation visits are counted,
// a request whose lists are too long for the filter stops at the step budget without matching
// (also under $not), and an unchecked filter nested past the depth cap cannot overflow the stack.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newEvaluation, testPattern } from "@/lib/filters/evaluate-filter";
import { filterLimits, parseFilter, type Filter } from "@/lib/filters/filter-schema";
import { matchFilter, type FilterSubject } from "@/lib/filters/match-filter";

const request = (body: unknown): FilterSubject => ({ method: "POST", path: "/hooks", query: {}, headers: {}, body });

function stepsOf(filter: Filter, subject: FilterSubject): { steps: number; stopped: string | undefined } {
  const evaluation = newEvaluation();
  const request = { ...subject, headers: subject.headers };
  testPattern(filter, request, "root", evaluation, 0);
  return { steps: evaluation.steps, stopped: evaluation.stopped };
}

const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ id: index, kind: "y" }));

describe("the work of one evaluation", () => {
  it("grows with the list a condition runs over, a few steps per element", () => {
    const filter = parseFilter({ body: { rows: { kind: "x" } } });
    for (const count of [10, 100, 1_000, 4_000]) {
      const { steps, stopped } = stepsOf(filter, request({ rows: rows(count) }));
      expect(stopped).toBeUndefined();
      expect(steps).toBeLessThanOrEqual(2 * count + 5);
    }
  });

  it("stops at the step budget on a filter at the caps over a long list, without matching", () => {
    const alternatives = Array.from({ length: 63 }, (_, index) => ({ rows: { id: `row-${index}`, kind: "x" } }));
    const filter = parseFilter({ body: { $or: alternatives } });
    const { steps, stopped } = stepsOf(filter, request({ rows: rows(4_000) }));
    expect(steps).toBe(filterLimits.maxEvaluationSteps + 1);
    expect(stopped).toBeDefined();
    expect(matchFilter(filter, request({ rows: rows(4_000) }))).toEqual({
      matched: false,
      reasons: [`evaluation stopped after ${filterLimits.maxEvaluationSteps} steps: the request's lists are too long for this filter`],
    });
  });

  it("does not turn a stopped evaluation into a match under $not", () => {
    const filter = parseFilter({ $not: { body: { rows: { kind: "x" } } } });
    expect(matchFilter(filter, request({ rows: rows(100) })).matched).toBe(true);
    expect(matchFilter(filter, request({ rows: rows(50_000) })).matched).toBe(false);
  });

  it("stops, rather than overflowing the stack, on an unchecked filter nested 10,000 levels deep", () => {
    let nested: unknown = { method: "POST" };
    for (let level = 0; level < 10_000; level += 1) nested = { $not: nested };
    expect(matchFilter(nested as Filter, request({}))).toEqual({ matched: false, reasons: [`the filter nests deeper than ${filterLimits.maxDepth} levels`] });
  });

  it("does not follow a request body deeper than the filter reaches", () => {
    let body: unknown = "leaf";
    for (let level = 0; level < 10_000; level += 1) body = { a: body, list: [body] };
    const { steps } = stepsOf(parseFilter({ body: { a: { a: { b: { exists: false } } } } }), request(body));
    expect(steps).toBeLessThanOrEqual(10);
  });
});

// Filters over a small vocabulary of keys and values, so that generated requests often match.
const keys = fc.constantFrom("a", "b", "c");
const scalar = fc.oneof(fc.constantFrom("x", "y", "X", "xy", ""), fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant(null));
const operator = fc.oneof(
  fc.record({ prefix: fc.constantFrom("x", "X", "") }),
  fc.record({ suffix: fc.constantFrom("y", "") }),
  fc.record({ "equals-ignore-case": fc.constantFrom("x", "XY") }),
  fc.record({ "anything-but": fc.oneof(scalar, fc.array(scalar, { minLength: 1, maxLength: 3 })) }),
  fc.record({ numeric: fc.constantFrom([">", 0], ["<=", 1], ["=", 2], [">=", -1, "<", 2]) }),
  fc.record({ exists: fc.boolean() }),
);
const { pattern } = fc.letrec<{ pattern: unknown; object: Record<string, unknown> }>((tie) => ({
  pattern: fc.oneof({ depthSize: "small" }, scalar, operator, fc.array(fc.oneof(scalar, operator), { minLength: 1, maxLength: 3 }), tie("object")),
  object: fc.oneof(
    { depthSize: "small" },
    fc.dictionary(keys, tie("pattern"), { maxKeys: 3 }),
    fc.record({ $or: fc.array(tie("pattern"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ $not: tie("pattern") }),
  ),
}));
const { body } = fc.letrec<{ body: unknown }>((tie) => ({
  body: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("body"), { maxLength: 4 }), fc.dictionary(keys, tie("body"), { maxKeys: 3 })),
}));
const bodyFilter = pattern.map((inner) => ({ body: inner }));

describe("properties of any valid filter against any body", () => {
  it("parses, and evaluates within the budget, to at most 10 short reasons", () => {
    fc.assert(
      fc.property(bodyFilter, body, (input, value) => {
        const filter = parseFilter(input);
        const result = matchFilter(filter, request(value));
        expect(result.reasons.length).toBeGreaterThan(0);
        expect(result.reasons.length).toBeLessThanOrEqual(10);
        for (const reason of result.reasons) expect(reason.length).toBeLessThanOrEqual(300);
        expect(stepsOf(filter, request(value)).steps).toBeLessThanOrEqual(filterLimits.maxEvaluationSteps);
      }),
      { numRuns: 400 },
    );
  });

  it("$not inverts and $or is any of its alternatives", () => {
    fc.assert(
      fc.property(bodyFilter, bodyFilter, body, (first, second, value) => {
        const matched = (filter: unknown) => matchFilter(parseFilter(filter), request(value)).matched;
        expect(matched({ $not: first })).toBe(!matched(first));
        expect(matched({ $or: [first, second] })).toBe(matched(first) || matched(second));
        expect(matched({ ...first, $not: second })).toBe(matched(first) && !matched(second));
      }),
      { numRuns: 400 },
    );
  });

  it("refuses any other JSON only with a 422 that names a path inside the filter", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (input) => {
        try {
          parseFilter({ body: input, ...(typeof input === "object" && input !== null && !Array.isArray(input) ? input : {}) });
        } catch (error) {
          expect(error).toMatchObject({ code: "validation_failed", field: expect.stringMatching(/^filter(\.|$)/) });
        }
      }),
      { numRuns: 400 },
    );
  });
});
