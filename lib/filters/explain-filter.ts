// The reasons of a filter result, said the way an operator reads them: for a miss, the conditions
// that failed; for a match, the ones that held. Built after the result is known, along the keys
// that decided it, and capped in number and length, so a reason costs only when it is shown.
import { isPlainObject } from "@/lib/filters/check-filter";
import { operatorOf, operators } from "@/lib/filters/filter-operators";
import { appliesPerElement, childScope, childValue, shapeOf, testKey, testKeys, testOperator, testPattern, type Evaluation, type Scope } from "@/lib/filters/evaluate-filter";
import { preview } from "@/lib/filters/preview";

export const maxReasons = 10;
const maxReasonLength = 300;

interface Explaining {
  evaluation: Evaluation;
  reasons: string[];
}

const cut = (text: string) => (text.length > maxReasonLength ? `${text.slice(0, maxReasonLength - 1)}…` : text);
const pathText = (path: string[]) => (path.length === 0 ? "request" : path.join("."));

function add(explaining: Explaining, reason: string): void {
  if (explaining.reasons.length < maxReasons) explaining.reasons.push(cut(reason));
}

const full = (explaining: Explaining) => explaining.reasons.length >= maxReasons || explaining.evaluation.stopped !== undefined;

/** Adds the reasons `pattern` gave `result` for `value` at `path`. */
export function explainPattern(pattern: unknown, value: unknown, scope: Scope, path: string[], result: boolean, explaining: Explaining): void {
  if (full(explaining)) return;
  const name = isPlainObject(pattern) && scope === "value" ? shapeOf(pattern).operator : undefined;
  if (!isPlainObject(pattern) || name !== undefined) return explainLeaf(pattern, value, path, result, explaining);
  if (scope === "value" && appliesPerElement(pattern, value)) return explainElements(pattern, value as unknown[], path, result, explaining);
  explainKeys(pattern, value, scope, path, result, explaining);
}

function explainElements(pattern: Record<string, unknown>, list: unknown[], path: string[], result: boolean, explaining: Explaining): void {
  const { evaluation } = explaining;
  if (!result) return add(explaining, `${pathText(path)}: no element of ${preview(list)} matches ${shapeOf(pattern).keys.join(", ")}`);
  const index = list.findIndex((element) => testKeys(pattern, element, "value", evaluation, 0));
  const at = [...path.slice(0, -1), `${path.at(-1) ?? ""}[${Math.max(index, 0)}]`];
  explainKeys(pattern, list[Math.max(index, 0)], "value", at, true, explaining);
}

function explainKeys(pattern: Record<string, unknown>, value: unknown, scope: Scope, path: string[], result: boolean, explaining: Explaining): void {
  const { evaluation } = explaining;
  for (const key of shapeOf(pattern).keys) {
    if (full(explaining)) return;
    const held = testKey(pattern, key, value, scope, evaluation, 0);
    if (!result && held) continue;
    const inner = pattern[key];
    if (key === "$or") explainOr(inner as unknown[], value, scope, path, held, explaining);
    else if (key === "$not") explainNot(inner, value, scope, path, held, explaining);
    else {
      explainPattern(inner, childValue(scope, key, value), childScope(scope, key), [...path, key], held, explaining);
    }
  }
  if (shapeOf(pattern).keys.length > 0) return;
  add(explaining, path.length === 0 ? "the filter is empty: every request matches" : `${pathText(path)}: {} matches anything`);
}

function explainOr(alternatives: unknown[], value: unknown, scope: Scope, path: string[], held: boolean, explaining: Explaining): void {
  const { evaluation } = explaining;
  if (held) {
    const first = alternatives.find((alternative) => testPattern(alternative, value, scope, evaluation, 0));
    return explainPattern(first, value, scope, path, true, explaining);
  }
  add(explaining, `${pathText(path)}: none of the ${alternatives.length} $or alternatives matched`);
  for (const alternative of alternatives) explainPattern(alternative, value, scope, path, false, explaining);
}

function explainNot(inner: unknown, value: unknown, scope: Scope, path: string[], held: boolean, explaining: Explaining): void {
  const nested: Explaining = { evaluation: explaining.evaluation, reasons: [] };
  explainPattern(inner, value, scope, path, !held, nested);
  add(explaining, `${held ? "$not held" : "excluded by $not"}: ${nested.reasons.join("; ")}`);
}

function describe(pattern: unknown, result: boolean): string {
  if (Array.isArray(pattern)) {
    const items = (pattern as unknown[]).map((item) => (isPlainObject(item) ? operatorText(item) : preview(item))).join(", ");
    const allValues = (pattern as unknown[]).every((item) => !isPlainObject(item));
    if (allValues) return `${result ? "is" : "is not"} one of [${items}]`;
    return `${result ? "matches" : "matches none of"} [${items}]`;
  }
  if (isPlainObject(pattern)) {
    const name = operatorOf(pattern) ?? "";
    const operator = operators[name];
    return operator ? (result ? operator.holds(pattern[name]) : operator.fails(pattern[name])) : "";
  }
  return `${result ? "is" : "is not"} ${preview(pattern)}`;
}

const operatorText = (pattern: Record<string, unknown>) => {
  const name = operatorOf(pattern) ?? "";
  return `${name} ${preview(pattern[name])}`;
};

function explainLeaf(pattern: unknown, value: unknown, path: string[], result: boolean, explaining: Explaining): void {
  const where = pathText(path);
  const isExists = isPlainObject(pattern) && operatorOf(pattern) === "exists";
  if (isExists) return add(explaining, `${where} ${describe(pattern, result)}`);
  if (value === undefined) return add(explaining, `${where} is missing`);
  if (!Array.isArray(value)) return add(explaining, `${where}: ${preview(value)} ${describe(pattern, result)}`);
  const list = value as unknown[];
  if (!result) return add(explaining, `${where}: no element of ${preview(list)} ${describe(pattern, true)}`);
  const index = list.findIndex((element) => !Array.isArray(element) && testLeaf(pattern, element, explaining.evaluation));
  add(explaining, `${where}[${index}]: ${preview(list[index])} ${describe(pattern, true)}`);
}

function testLeaf(pattern: unknown, element: unknown, evaluation: Evaluation): boolean {
  const name = isPlainObject(pattern) ? operatorOf(pattern) : undefined;
  if (isPlainObject(pattern) && name !== undefined) return testOperator(name, pattern[name], element, evaluation);
  return testPattern(pattern, element, "value", evaluation, 0);
}
