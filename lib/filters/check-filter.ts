// Checks a filter against the language without recursion: a stack of pending values, so a filter
// nested ten thousand levels deep is refused at level 25 with its path instead of overflowing the
// stack, and every cap (conditions, list items, string length, bytes) stops the walk early.
import { filterLimits } from "@/lib/filters/filter-limits";
import { checkScalar, isScalar, operatorOf, operators, type ValueKind } from "@/lib/filters/filter-operators";

/** "root": the filter; "names": query or headers, keyed by name; a ValueKind: a value's pattern. */
type Context = "root" | "names" | ValueKind;

interface Pending {
  value: unknown;
  path: string[];
  context: Context;
  depth: number;
}

export interface FilterProblem {
  /** Where inside the filter, e.g. ["body", "amount", "numeric"]. */
  path: string[];
  message: string;
}

interface Budget {
  conditions: number;
  bytes: number;
}

const requestParts: Record<string, Context> = { method: "text", path: "text", query: "names", headers: "names", body: "json" };
const partsText = "a filter matches method, path, query, headers and body, with $or and $not";

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const problem = (path: string[], message: string): FilterProblem => ({ path, message });

/** The first problem with `input` as a filter, in the order it is written; undefined when valid. */
export function checkFilter(input: unknown): FilterProblem | undefined {
  const budget: Budget = { conditions: 0, bytes: 0 };
  const pending: Pending[] = [{ value: input, path: [], context: "root", depth: 0 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const found = checkNode(item, pending, budget);
    if (found) return found;
  }
  return undefined;
}

function spend(budget: Budget, item: Pending, conditions: number, bytes: number): FilterProblem | undefined {
  budget.conditions += conditions;
  budget.bytes += bytes;
  if (budget.bytes > filterLimits.maxFilterBytes) return problem([], `is larger than ${filterLimits.maxFilterBytes} bytes as JSON`);
  if (budget.conditions > filterLimits.maxConditions) return problem(item.path, `the filter has more than ${filterLimits.maxConditions} conditions`);
  return undefined;
}

const textBytes = (text: string) => Buffer.byteLength(text) + 2;
const scalarBytes = (value: unknown) => (typeof value === "string" ? textBytes(value) : isScalar(value) ? String(value).length : 0);

/** The filter, a `$or` alternative at its level, query and headers are objects. */
function notAnObject({ path, context }: Pending): FilterProblem {
  if (context === "root") return problem(path, `must be an object: ${partsText}`);
  const part = path.find((segment) => segment === "query" || segment === "headers") ?? "query";
  return problem(path, `must be an object of names: write {"${part}": {"<name>": …}}`);
}

function checkNode(item: Pending, pending: Pending[], budget: Budget): FilterProblem | undefined {
  const { value, path, context } = item;
  if (Array.isArray(value) || isPlainObject(value)) {
    if (item.depth > filterLimits.maxDepth) return problem(path, `nests deeper than ${filterLimits.maxDepth} levels`);
    const spent = spend(budget, item, 1, 2);
    if (spent) return spent;
    if (Array.isArray(value)) return checkList(item, value as unknown[], budget);
    return checkObject(item, value, pending, budget);
  }
  const spent = spend(budget, item, 1, scalarBytes(value));
  if (spent) return spent;
  if (context === "root" || context === "names") return notAnObject(item);
  const scalarProblem = checkScalar(value, context);
  return scalarProblem ? problem(path, scalarProblem) : undefined;
}

/** A list in a pattern: any of its values or operators. */
function checkList(item: Pending, list: unknown[], budget: Budget): FilterProblem | undefined {
  const { path, context } = item;
  if (context === "root" || context === "names") return notAnObject(item);
  if (list.length === 0) return problem(path, "a list needs at least one value");
  if (list.length > filterLimits.maxArrayItems) return problem(path, `a list holds at most ${filterLimits.maxArrayItems} values`);
  for (const [index, entry] of list.entries()) {
    const entryPath = [...path, String(index)];
    if (Array.isArray(entry)) return problem(entryPath, "a list holds values and operators, not lists");
    if (isPlainObject(entry)) {
      const name = operatorOf(entry);
      if (name === undefined) return problem(entryPath, "a list holds values and operators; for alternative objects use $or");
      const found = checkOperator({ ...item, path: entryPath }, name, entry[name], budget);
      if (found) return found;
      continue;
    }
    const spent = spend(budget, item, 1, scalarBytes(entry) + 1);
    if (spent) return spent;
    const scalarProblem = checkScalar(entry, context);
    if (scalarProblem) return problem(entryPath, scalarProblem);
  }
  return undefined;
}

function checkOperator(item: Pending, name: string, operand: unknown, budget: Budget): FilterProblem | undefined {
  const operandPath = [...item.path, name];
  const operator = operators[name];
  const operandProblem = operator?.check(operand, item.context === "text" ? "text" : "json");
  if (operandProblem) return problem(operandPath, operandProblem);
  const items = Array.isArray(operand) ? operand.length : 1;
  return spend(budget, item, name === "anything-but" ? items : 1, textBytes(name) + JSON.stringify(operand).length + 3);
}

function checkObject(item: Pending, object: Record<string, unknown>, pending: Pending[], budget: Budget): FilterProblem | undefined {
  const { path, context } = item;
  if (context === "text" || context === "json") {
    const name = operatorOf(object);
    if (name !== undefined) return checkOperator(item, name, object[name], budget);
  }
  const keys = Object.keys(object);
  if (keys.length > filterLimits.maxConditions) return problem(path, `the filter has more than ${filterLimits.maxConditions} conditions`);
  const children: Pending[] = [];
  for (const key of keys) {
    const keyPath = [...path, key];
    const spent = spend(budget, item, 0, textBytes(key) + 2);
    if (spent) return spent;
    if (key.length > filterLimits.maxStringLength) return problem(keyPath, `is a name longer than ${filterLimits.maxStringLength} characters`);
    const found = checkKey(item, key, object[key], children);
    if (found) return found;
  }
  pending.push(...children.reverse());
  return undefined;
}

function checkKey(item: Pending, key: string, value: unknown, children: Pending[]): FilterProblem | undefined {
  const { path, context, depth } = item;
  const keyPath = [...path, key];
  if (key === "$or") {
    if (!Array.isArray(value) || value.length === 0) return problem(keyPath, "$or takes a non-empty list of alternatives");
    if (value.length > filterLimits.maxArrayItems) return problem(keyPath, `$or takes at most ${filterLimits.maxArrayItems} alternatives`);
    const alternatives = value as unknown[];
    alternatives.forEach((alternative, index) => children.push({ value: alternative, path: [...keyPath, String(index)], context, depth: depth + 1 }));
    return undefined;
  }
  if (key === "$not") {
    children.push({ value, path: keyPath, context, depth: depth + 1 });
    return undefined;
  }
  if (key.startsWith("$")) return problem(keyPath, "is not an operator: the keys of an object must all match already; use $or or $not");
  if (context === "root") {
    const part = Object.hasOwn(requestParts, key) ? requestParts[key] : undefined;
    if (part === undefined) return problem(keyPath, `is not part of a request: ${partsText}`);
    children.push({ value, path: keyPath, context: part, depth: depth + 1 });
    return undefined;
  }
  if (context === "names") {
    children.push({ value, path: keyPath, context: "text", depth: depth + 1 });
    return undefined;
  }
  if (Object.hasOwn(operators, key)) return problem(keyPath, `${key} is an operator: it stands alone in its object, e.g. {"${key}": …}`);
  if (context === "text") return problem(path, "is a string: match it with a value, a list or an operator, not an object of fields");
  children.push({ value, path: keyPath, context, depth: depth + 1 });
  return undefined;
}
