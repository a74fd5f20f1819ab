// The trigger body as filters and search see it: parsed once, at accept time, when it is JSON.
// The event row stores the same text as jsonb (events.body_json), which Postgres parses itself,
// so nothing is parsed again at delivery; only text Postgres would refuse is left out of it.
import type { z } from "zod";
import type { CapturedRequest } from "@/lib/deliveries/job";
import { exceedsDepth, maxSampleDepth } from "@/lib/http/json-depth";

export interface JsonBody {
  value: unknown;
  /** Postgres jsonb takes the text as it is: the event row can carry it in body_json. */
  storable: boolean;
}

const jsonContentType = /[/+]json\b/i;
const startsLikeJson = /^\s*[[{]/;

// What JSON.parse accepts but jsonb refuses: \u0000 and lone surrogates in strings, numbers past
// numeric's limits (refused a little early: 5-digit exponents, 10,000-digit runs). Each pattern
// starts only where its match can start, so a scan is linear.
const refusedEscapes = [/\\u0000/, /\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})/, /(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}/];
const hugeNumber = /[eE][+-]?\d{5}|(?<!\d)\d{10000}/;
const jsonString = /"(?:[^"\\]|\\.)*"/g;

/** Also bounds Postgres's recursive JSON parser, which runs out of stack tens of thousands of levels down. */
function storableAsJsonb(text: string, value: unknown): boolean {
  if (refusedEscapes.some((pattern) => pattern.test(text)) || (text.length > 2 * maxSampleDepth && exceedsDepth(value, maxSampleDepth))) return false;
  // Hex ids in strings look like exponents ("3e12345"): only numbers outside strings count.
  return !hugeNumber.test(text) || !hugeNumber.test(text.replace(jsonString, '""'));
}

/** The parsed body when it is JSON (by its content type, or text starting with `{` or `[`); undefined otherwise. */
export function parseJsonBody(request: Pick<CapturedRequest, "body" | "bodyEncoding" | "headers">): JsonBody | undefined {
  if (request.bodyEncoding !== "utf8") return undefined;
  if (!jsonContentType.test(request.headers["content-type"] ?? "") && !startsLikeJson.test(request.body)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(request.body);
  } catch {
    return undefined;
  }
  return { value, storable: storableAsJsonb(request.body, value) };
}

/** The raw body read through `schema` when it is that JSON (a provider's envelope), else undefined. */
export function jsonBodyAs<T>(schema: z.ZodType<T>, bodyBytes: Uint8Array): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(bodyBytes).toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
