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

/** The value a key names inside `value`, and the scope of the pattern under that key. */
export function childOf(scope: Scope, key: string, value: unknown): [unknown, Scope] {
  const name = scope === "headers" ? key.toLowerCase() : key;
  const child = isPlainObject(value) && Object.hasOwn(value, name) ? value[name] : undefined;
  if (scope === "root") return [child, key === "query" || key === "headers" ? key : "value"];
  return [child, "value"];
}

/** A pattern with field keys applies to each element of a list; one of only $or/$not to the list as a whole. */
export const appliesPerElement = (pattern: Record<string, unknown>, value: unknown): boolean => Array.isArray(value) && Object.keys(pattern).some((key) => key !== "$or" && key !== "$not");

export function testPattern(pattern: unknown, value: unknown, scope: Scope, evaluation: Evaluation, depth: number): boolean {
  if (!step(evaluation, depth)) return false;
  if (Array.isArray(pattern)) return (pattern as unknown[]).some((item) => testPattern(item, value, "value", evaluation, depth + 1));
  if (!isPlainObject(pattern)) return testEach(value, evaluation, (element) => element === pattern);
  const name = scope === "value" ? operatorOf(pattern) : undefined;
  if (name !== undefined) return testOperator(name, pattern[name], value, evaluation);
  if (scope === "value" && appliesPerElement(pattern, value)) {
    return (value as unknown[]).some((element) => step(evaluation, depth) && testKeys(pattern, element, scope, evaluation, depth));
  }
  return testKeys(pattern, value, scope, evaluation, depth);
}

export function testOperator(name: string, operand: unknown, value: unknown, evaluation: Evaluation): boolean {
  if (name === "exists") return (value !== undefined) === operand;
  const operator = operators[name];
  return operator !== undefined && testEach(value, evaluation, (element) => operator.test(operand, element));
}

/** A present value, or any element of a list (one level: a list inside a list is one value). */
export function testEach(value: unknown, evaluation: Evaluation, test: (element: unknown) => boolean): boolean {
  if (value === undefined) return false;
  if (!Array.isArray(value)) return test(value);
  return (value as unknown[]).some((element) => step(evaluation, 0) && test(element));
}

export function testKey(pattern: Record<string, unknown>, key: string, value: unknown, scope: Scope, evaluation: Evaluation, depth: number): boolean {
  const inner = pattern[key];
  if (key === "$or") return Array.isArray(inner) && (inner as unknown[]).some((alternative) => testPattern(alternative, value, scope, evaluation, depth + 1));
  if (key === "$not") return !testPattern(inner, value, scope, evaluation, depth + 1) && evaluation.stopped === undefined;
  const [child, childScope] = childOf(scope, key, value);
  return testPattern(inner, child, childScope, evaluation, depth + 1);
}

export function testKeys(pattern: Record<string, unknown>, value: unknown, scope: Scope, evaluation: Evaluation, depth: number): boolean {
  for (const key of Object.keys(pattern)) {
    if (!testKey(pattern, key, value, scope, evaluation, depth)) return false;
  }
  return true;
}
