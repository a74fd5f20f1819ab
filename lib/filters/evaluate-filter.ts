// Tests a filter against a request, counting every value it visits: a condition under a list in
// the request visits each element, so one evaluation stops after filterLimits.maxEvaluationSteps
// instead of growing with the body. Recursion follows the filter only (at most maxDepth levels);
// the request is walked as far as the filter's keys reach, and lists are unwrapped one level.
import { isPlainObject } from "@/lib/filters/check-filter";
import { filterLimits } from "@/lib/filters/filter-limits";
import { operatorOf, operators } from "@/lib/filters/filter-operators";

/** Where a pattern sits: the request itself, query or headers (keyed by name), or a value. */
export type Scope = "root" | "query" | "headers" | "value";

export interface Evaluation {
  steps: number;
  maxSteps: number;
  /** Why the evaluation stopped early (too many steps, a filter nested too deep); the filter did not match. */
  stopped: string | undefined;
}

export const newEvaluation = (maxSteps: number = filterLimits.maxEvaluationSteps): Evaluation => ({ steps: 0, maxSteps, stopped: undefined });

function step(evaluation: Evaluation, depth: number): boolean {
  if (evaluation.stopped) return false;
  evaluation.steps += 1;
  if (evaluation.steps > evaluation.maxSteps) evaluation.stopped = `evaluation stopped after ${evaluation.maxSteps} steps: the request's lists are too long for this filter`;
  else if (depth > filterLimits.maxDepth) evaluation.stopped = `the filter nests deeper than ${filterLimits.maxDepth} levels`;
  return evaluation.stopped === undefined;
}

/** The value a key names inside `value` (header names in any case). */
export function childValue(scope: Scope, key: string, value: unknown): unknown {
  if (!isPlainObject(value)) return undefined;
  const name = scope === "headers" ? key.toLowerCase() : key;
  return Object.hasOwn(value, name) ? value[name] : undefined;
}

/** The scope of the pattern under a key: query and headers are keyed by name, all else is a value. */
export const childScope = (scope: Scope, key: string): Scope => (scope === "root" && (key === "query" || key === "headers") ? key : "value");

interface Shape {
  keys: string[];
  /** The operator the object stands for, when it is one. */
  operator: string | undefined;
  /** Some key names a field (not only $or/$not). */
  hasFields: boolean;
}

// A filter is evaluated against many requests: the shape of each of its objects is read once.
const shapes = new WeakMap<object, Shape>();

export function shapeOf(pattern: Record<string, unknown>): Shape {
  let shape = shapes.get(pattern);
  if (shape === undefined) {
    const keys = Object.keys(pattern);
    shape = { keys, operator: operatorOf(pattern), hasFields: keys.some((key) => key !== "$or" && key !== "$not") };
    shapes.set(pattern, shape);
  }
  return shape;
}

/** A pattern with field keys applies to each element of a list; one of only $or/$not to the list as a whole. */
export const appliesPerElement = (pattern: Record<string, unknown>, value: unknown): boolean => Array.isArray(value) && shapeOf(pattern).hasFields;

export function testPattern(pattern: unknown, value: unknown, scope: Scope, evaluation: Evaluation, depth: number): boolean {
  if (!step(evaluation, depth)) return false;
  if (Array.isArray(pattern)) return (pattern as unknown[]).some((item) => testPattern(item, value, "value", evaluation, depth + 1));
  if (!isPlainObject(pattern)) return testEqual(pattern, value, evaluation);
  const shape = shapeOf(pattern);
  const name = scope === "value" ? shape.operator : undefined;
  if (name !== undefined) return testOperator(name, pattern[name], value, evaluation);
  if (scope === "value" && shape.hasFields && Array.isArray(value)) {
    for (const element of value as unknown[]) if (step(evaluation, depth) && testKeys(pattern, element, scope, evaluation, depth)) return true;
    return false;
  }
  return testKeys(pattern, value, scope, evaluation, depth);
}

export function testOperator(name: string, operand: unknown, value: unknown, evaluation: Evaluation): boolean {
  if (name === "exists") return (value !== undefined) === operand;
  const operator = operators[name];
  return operator !== undefined && testEach(value, evaluation, (element) => operator.test(operand, element));
}

/** testEach for an exact value, without a closure: the commonest condition, often under long lists. */
function testEqual(expected: unknown, value: unknown, evaluation: Evaluation): boolean {
  if (!Array.isArray(value)) return value === expected && value !== undefined;
  for (const element of value as unknown[]) if (step(evaluation, 0) && element === expected) return true;
  return false;
}

/** A present value, or any element of a list (one level: a list inside a list is one value). */
function testEach(value: unknown, evaluation: Evaluation, test: (element: unknown) => boolean): boolean {
  if (value === undefined) return false;
  if (!Array.isArray(value)) return test(value);
  return (value as unknown[]).some((element) => step(evaluation, 0) && test(element));
}

export function testKey(pattern: Record<string, unknown>, key: string, value: unknown, scope: Scope, evaluation: Evaluation, depth: number): boolean {
  const inner = pattern[key];
  if (key === "$or") return Array.isArray(inner) && (inner as unknown[]).some((alternative) => testPattern(alternative, value, scope, evaluation, depth + 1));
  if (key === "$not") return !testPattern(inner, value, scope, evaluation, depth + 1) && evaluation.stopped === undefined;
  return testPattern(inner, childValue(scope, key, value), childScope(scope, key), evaluation, depth + 1);
}

export function testKeys(pattern: Record<string, unknown>, value: unknown, scope: Scope, evaluation: Evaluation, depth: number): boolean {
  for (const key of shapeOf(pattern).keys) {
    if (!testKey(pattern, key, value, scope, evaluation, depth)) return false;
  }
  return true;
}
