// The operators of the filter language: what each takes (checked when a filter is parsed), what it
// tests, and how a reason says it. An object whose single key is one of these is that operator.
import { filterLimits } from "@/lib/filters/filter-limits";
import { preview } from "@/lib/filters/preview";

/** "text": method, path, query and header values, always strings; "json": the body. */
export type ValueKind = "text" | "json";

type Scalar = string | number | boolean | null;

interface Operator {
  /** What is wrong with the operand, or undefined when it is fine. */
  check(operand: unknown, kind: ValueKind): string | undefined;
  /** Tests one present value (a list in the request was already split into its elements). */
  test(operand: unknown, value: unknown): boolean;
  /** The condition, as a reason says it held: `starts with "a"`. */
  holds(operand: unknown): string;
  /** The condition, as a reason says it failed: `does not start with "a"`. */
  fails(operand: unknown): string;
}

export const isScalar = (value: unknown): value is Scalar =>
  typeof value === "string" || typeof value === "boolean" || value === null || (typeof value === "number" && Number.isFinite(value));

const textOnly = "method, path, query and header values are strings";

/** Why a value cannot be an exact value of this kind, or undefined. */
export function checkScalar(value: unknown, kind: ValueKind): string | undefined {
  if (!isScalar(value)) return "must be a string, number, boolean or null";
  if (kind === "text" && typeof value !== "string") return `${textOnly}: write ${JSON.stringify(String(value))}`;
  if (typeof value === "string" && value.length > filterLimits.maxStringLength) return `is longer than ${filterLimits.maxStringLength} characters`;
  return undefined;
}

function checkString(name: string) {
  return (operand: unknown): string | undefined => {
    if (typeof operand !== "string") return `${name} takes a string`;
    if (operand.length > filterLimits.maxStringLength) return `is longer than ${filterLimits.maxStringLength} characters`;
    return undefined;
  };
}

const asString = (operand: unknown) => (typeof operand === "string" ? operand : "");
const quoted = (operand: unknown) => preview(operand);

const numericOperators = new Set(["<", "<=", "=", ">=", ">"]);
const numericShape = 'numeric takes pairs of an operator (<, <=, =, >=, >) and a number, e.g. [">", 0, "<=", 100]';

function compare(operator: unknown, left: number, right: unknown): boolean {
  if (typeof right !== "number") return false;
  if (operator === "<") return left < right;
  if (operator === "<=") return left <= right;
  if (operator === "=") return left === right;
  if (operator === ">=") return left >= right;
  return operator === ">" && left > right;
}

const pairs = (operand: unknown): Array<[unknown, unknown]> => {
  const list = Array.isArray(operand) ? (operand as unknown[]) : [];
  const result: Array<[unknown, unknown]> = [];
  for (let index = 0; index + 1 < list.length; index += 2) result.push([list[index], list[index + 1]]);
  return result;
};

const excluded = (operand: unknown): unknown[] => (Array.isArray(operand) ? (operand as unknown[]) : [operand]);

export const operators: Record<string, Operator> = {
  prefix: {
    check: checkString("prefix"),
    test: (operand, value) => typeof value === "string" && value.startsWith(asString(operand)),
    holds: (operand) => `starts with ${quoted(operand)}`,
    fails: (operand) => `does not start with ${quoted(operand)}`,
  },
  suffix: {
    check: checkString("suffix"),
    test: (operand, value) => typeof value === "string" && value.endsWith(asString(operand)),
    holds: (operand) => `ends with ${quoted(operand)}`,
    fails: (operand) => `does not end with ${quoted(operand)}`,
  },
  "equals-ignore-case": {
    check: checkString("equals-ignore-case"),
    test: (operand, value) => typeof value === "string" && value.toLowerCase() === asString(operand).toLowerCase(),
    holds: (operand) => `equals ${quoted(operand)} ignoring case`,
    fails: (operand) => `does not equal ${quoted(operand)} ignoring case`,
  },
  "anything-but": {
    check(operand, kind) {
      const items = excluded(operand);
      if (items.length === 0) return "anything-but takes a value or a non-empty list of values";
      if (items.length > filterLimits.maxArrayItems) return `anything-but takes at most ${filterLimits.maxArrayItems} values`;
      for (const item of items) {
        const problem = checkScalar(item, kind);
        if (problem) return `anything-but takes a value or a list of values: ${preview(item)} ${problem}`;
      }
      return undefined;
    },
    test: (operand, value) => isScalar(value) && !excluded(operand).includes(value),
    holds: (operand) => `is anything but ${quoted(operand)}`,
    fails: (operand) => `is excluded by anything-but ${quoted(operand)}`,
  },
  numeric: {
    check(operand, kind) {
      if (kind === "text") return `numeric compares numbers in the body; ${textOnly}`;
      if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 8) return numericShape;
      const valid = pairs(operand).every(([operator, number]) => numericOperators.has(String(operator)) && typeof number === "number" && Number.isFinite(number));
      return valid ? undefined : numericShape;
    },
    test: (operand, value) => typeof value === "number" && pairs(operand).every(([operator, number]) => compare(operator, value, number)),
    holds: (operand) => `is ${numericText(operand)}`,
    fails: (operand) => `is not ${numericText(operand)}`,
  },
  exists: {
    check: (operand) => (typeof operand === "boolean" ? undefined : "exists takes true or false"),
    // Presence is decided by the evaluator before any value is tested.
    test: () => true,
    holds: (operand) => (operand === false ? "is missing" : "exists"),
    fails: (operand) => (operand === false ? "exists" : "is missing"),
  },
};

function numericText(operand: unknown): string {
  return pairs(operand)
    .map(([operator, number]) => `${String(operator)} ${String(number)}`)
    .join(" and ");
}

/** The operator an object stands for: one key, and that key an operator's name. */
export function operatorOf(pattern: Record<string, unknown>): string | undefined {
  const keys = Object.keys(pattern);
  const name = keys[0];
  return keys.length === 1 && name !== undefined && Object.hasOwn(operators, name) ? name : undefined;
}
