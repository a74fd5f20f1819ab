// What SQL can check of a filter, as a necessary condition: exact values and any-of lists on
// body fields become one jsonpath equality (`body_json @@ …`, which the GIN index answers), exact
// methods and paths become column tests. Everything else (operators, $not, query, headers) is
// left to matchFilter on the candidates, so a translation may only ever widen, never narrow.
// jsonpath's lax mode unwraps arrays along the path and at the leaf, as the language's
// "any element matches" does; its == never equates a string with a number, like the language.
import type { Filter } from "@/lib/filters/filter-schema";
import { isPlainObject } from "@/lib/filters/check-filter";
import type { EventCondition } from "@/lib/db/queries/deliveries-search";

const operatorNames = new Set(["prefix", "suffix", "anything-but", "numeric", "exists", "equals-ignore-case"]);

/** A jsonpath literal for a value SQL and JavaScript compare alike; undefined for the rest. */
function literal(value: unknown): string | undefined {
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  // Beyond 2^53 a JSON number parsed in JavaScript may equal one jsonb keeps distinct.
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

const joinPaths = (parts: string[], operator: "&&" | "||") => (parts.length === 1 ? (parts[0] ?? "") : parts.map((part) => `(${part})`).join(` ${operator} `));

/** The jsonpath predicate a body pattern implies at `path`, or undefined when none is exact. */
function bodyPredicate(pattern: unknown, path: string[]): string | undefined {
  const target = `$${path.map((key) => `.${JSON.stringify(key)}`).join("")}`;
  if (Array.isArray(pattern)) {
    const items = pattern.map(literal);
    if (path.length === 0 || items.length === 0 || items.some((item) => item === undefined)) return undefined;
    return items.map((item) => `${target} == ${item}`).join(" || ");
  }
  if (!isPlainObject(pattern)) {
    const item = literal(pattern);
    return path.length === 0 || item === undefined ? undefined : `${target} == ${item}`;
  }
  const keys = Object.keys(pattern);
  if (keys.length === 1 && operatorNames.has(keys[0] ?? "")) return undefined;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(pattern)) {
    if (key === "$not") continue;
    if (key === "$or") {
      const branches = Array.isArray(value) ? value.map((branch) => bodyPredicate(branch, path)) : [];
      if (branches.length > 0 && branches.every((branch) => branch !== undefined)) parts.push(joinPaths(branches, "||"));
      continue;
    }
    const part = bodyPredicate(value, [...path, key]);
    if (part !== undefined) parts.push(part);
  }
  return parts.length === 0 ? undefined : joinPaths(parts, "&&");
}

function columnCondition(column: "method" | "path", pattern: unknown): EventCondition | null {
  const values = Array.isArray(pattern) ? pattern : [pattern];
  if (values.length === 0 || !values.every((value): value is string => typeof value === "string")) return null;
  return { column, in: values };
}

function keyCondition(key: string, value: unknown): EventCondition | null {
  if (key === "method" || key === "path") return columnCondition(key, value);
  if (key === "body") {
    const predicate = bodyPredicate(value, []);
    return predicate === undefined ? null : { bodyPath: predicate };
  }
  if (key === "$or" && Array.isArray(value)) {
    const branches = value.map((branch) => (isPlainObject(branch) ? searchCondition(branch) : null));
    return branches.length > 0 && branches.every((branch) => branch !== null) ? { any: branches } : null;
  }
  return null;
}

/** A necessary condition for `filter` to match an event, or null when SQL can narrow nothing. */
export function searchCondition(filter: Filter): EventCondition | null {
  const parts = Object.entries(filter).flatMap(([key, value]) => {
    const part = keyCondition(key, value);
    return part ? [part] : [];
  });
  if (parts.length === 0) return null;
  return parts.length === 1 ? (parts[0] ?? null) : { all: parts };
}
