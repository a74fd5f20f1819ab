// Matches a request against a filter: the trigger route decides which destinations fire, the
// filter-test endpoint and search explain themselves with the same reasons.
import type { Filter } from "@/lib/filters/filter-schema";
import { isPlainObject } from "@/lib/filters/check-filter";
import { newEvaluation, testPattern } from "@/lib/filters/evaluate-filter";
import { explainPattern, maxReasons } from "@/lib/filters/explain-filter";

export interface FilterSubject {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Any case in; matching is case-insensitive on names. */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the raw text. */
  body: unknown;
}

export interface FilterResult {
  matched: boolean;
  /** Which conditions failed (or, when matched, held): at most 10 short lines. */
  reasons: string[];
}

// Names come from the request: "__proto__" must be a plain key, not the prototype.
const emptyRecord = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  const lowered = emptyRecord<string>();
  for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = value;
  return lowered;
}

/**
 * `reasons` is worked out when first read: the trigger route and search read only `matched`, for
 * up to 100 destinations or 5,000 candidates, and explaining costs as much as matching again.
 */
export function matchFilter(filter: Filter, subject: FilterSubject): FilterResult {
  const request = { method: subject.method, path: subject.path, query: subject.query, headers: lowerCaseNames(subject.headers), body: subject.body };
  const evaluation = newEvaluation();
  const matched = testPattern(filter, request, "root", evaluation, 0);
  if (evaluation.stopped) return { matched: false, reasons: [evaluation.stopped] };
  let reasons: string[] | undefined;
  return {
    matched,
    get reasons() {
      reasons ??= explain(filter, request, matched, evaluation.maxSteps);
      return reasons;
    },
  };
}

function explain(filter: Filter, request: Record<string, unknown>, matched: boolean, maxSteps: number): string[] {
  // Explaining re-tests the keys along the way it reports, so it gets a budget of its own.
  const explaining = { evaluation: newEvaluation(maxSteps * 4), reasons: [] };
  explainPattern(filter, request, "root", [], matched, explaining);
  return explaining.reasons.slice(0, maxReasons);
}

function stringRecord(value: unknown): Record<string, string> {
  const record = emptyRecord<string>();
  if (!isPlainObject(value)) return record;
  for (const [name, item] of Object.entries(value)) if (typeof item === "string") record[name] = item;
  return record;
}

function queryRecord(value: unknown): Record<string, string | string[]> {
  const record = emptyRecord<string | string[]>();
  if (!isPlainObject(value)) return record;
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === "string") record[name] = item;
    else if (Array.isArray(item)) record[name] = item.filter((entry): entry is string => typeof entry === "string");
  }
  return record;
}

function bodyOf(body: string, encoding: string): unknown {
  const text = encoding === "base64" ? Buffer.from(body, "base64").toString("utf8") : body;
  if (!/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The subject of a stored event row (body_json when present, else the body text, parsed when it is JSON). */
export function eventSubject(event: { method: string; path: string; query: unknown; headers: unknown; body: string; body_encoding: string; body_json?: unknown }): FilterSubject {
  const body = event.body_json !== undefined && event.body_json !== null ? event.body_json : bodyOf(event.body, event.body_encoding);
  return { method: event.method, path: event.path, query: queryRecord(event.query), headers: stringRecord(event.headers), body };
}
