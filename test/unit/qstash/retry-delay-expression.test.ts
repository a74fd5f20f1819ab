// Upstash-Retry-Delay expressions as retry.mdx and openapi.yaml document them: the app checks one
// with this parser at save time and the local QStash runs it, so both must agree with the docs.
import { describe, expect, test } from "vitest";
import { parseRetryDelayExpression } from "@/lib/qstash/retry-delay-expression";

function delaysOf(text: string, retries = 4): number[] {
  const parsed = parseRetryDelayExpression(text);
  if (!parsed.ok) throw new Error(`"${text}" was refused: ${parsed.message}`);
  return Array.from({ length: retries }, (_, retried) => parsed.evaluate(retried));
}

function refusalOf(text: string): string {
  const parsed = parseRetryDelayExpression(text);
  if (parsed.ok) throw new Error(`"${text}" was accepted`);
  return parsed.message;
}

describe("the documented examples", () => {
  test.each([
    ["1000", [1_000, 1_000, 1_000, 1_000]],
    ["1000 * (1 + retried)", [1_000, 2_000, 3_000, 4_000]],
    ["pow(2, retried) * 1000", [1_000, 2_000, 4_000, 8_000]],
    ["max(1000, pow(2, retried) * 100)", [1_000, 1_000, 1_000, 1_000]],
  ])("%s gives %j ms for retried 0..3 (retried is 0 for the first retry)", (text, expected) => {
    expect(delaysOf(text)).toEqual(expected);
  });
});

describe("every documented function", () => {
  test.each([
    ["exp(0) * 500", 500],
    ["sqrt(16) * 100", 400],
    ["abs(0 - 250)", 250],
    ["floor(2.7) * 100", 200],
    ["ceil(2.1) * 100", 300],
    ["round(2.5) * 100", 300],
    ["min(700, 900)", 700],
    ["max(700, 900)", 900],
    ["pow(3, 2)", 9],
  ])("%s = %i", (text, expected) => {
    expect(delaysOf(text, 1)).toEqual([expected]);
  });

  test("precedence: * and / before + and -, parentheses first, unary minus", () => {
    expect(delaysOf("100 + 2 * 50 - 10 / 2", 1)).toEqual([195]);
    expect(delaysOf("(100 + 2) * 5", 1)).toEqual([510]);
    expect(delaysOf("-(-300)", 1)).toEqual([300]);
  });
});

describe("what the delay becomes", () => {
  test("a negative or undefined value waits 0 ms; more than a day waits a day; fractions round", () => {
    expect(delaysOf("0 - 5000", 1)).toEqual([0]);
    expect(delaysOf("sqrt(0 - 1)", 1)).toEqual([0]);
    expect(delaysOf("pow(10, 12)", 1)).toEqual([86_400_000]);
    expect(delaysOf("1 / 0", 1)).toEqual([86_400_000]);
    expect(delaysOf("1000 / 3", 1)).toEqual([333]);
  });
});

describe("refusals name what is wrong", () => {
  test.each([
    ["", /empty/],
    ["process.exit(1)", /unexpected character "\."/],
    ["retries * 1000", /unknown name "retries"/],
    ["log(2)", /unknown name "log"/],
    ["constructor(1)", /unknown name "constructor"/],
    ["pow(2)", /pow takes 2 arguments, got 1/],
    ["min(1, 2, 3)", /min takes 2 arguments, got 3/],
    ["sqrt(4, 9)", /sqrt takes 1 argument, got 2/],
    ["(1000", /expected "\)"/],
    ["1000 1000", /unexpected "1000"/],
    ["1000 *", /ends too early/],
    ["2 ^ 3", /unexpected character "\^"/],
  ])("%j is refused", (text, reason) => {
    expect(refusalOf(text)).toMatch(reason);
  });

  test("more than 256 characters is refused, 256 is accepted", () => {
    const at256 = `1000${" ".repeat(252)}`;
    expect(parseRetryDelayExpression(at256).ok).toBe(true);
    expect(refusalOf(`${at256} `)).toMatch(/257 characters; at most 256/);
  });
});
