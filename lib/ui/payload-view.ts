// The attempt view's payloads: an attempt records its body (HTTP request and response) or payload
// (MQTT, AMQP) as a string inside a JSON object, which printed as part of that object is one long
// escaped line. Here the payload is taken out and shown on its own: indented when it is JSON,
// as the text it was otherwise, with a note when the recorded copy is only its first part.
import { prettyJson } from "@/lib/ui/format";

const payloadKeys = ["body", "payload"] as const;

export interface PayloadView {
  /** Which key of the record held it ("body" or "payload"). */
  key: (typeof payloadKeys)[number];
  format: "JSON" | "text";
  text: string;
  /** Set when the record says the whole was longer than what was kept (e.g. "first 1 KB of 3.2 KB"). */
  cut?: string;
}

export interface SplitRecord {
  /** The record without its payload, for the rest of what was sent or received. */
  rest: unknown;
  payload: PayloadView | null;
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A payload as shown: pretty JSON when the whole text parses, else the text itself. */
export function viewPayload(value: unknown): Pick<PayloadView, "format" | "text"> {
  if (typeof value !== "string") return { format: "JSON", text: prettyJson(value) };
  const trimmed = value.trim();
  // Only objects and arrays: a bare word or number is text to the reader, even if JSON parses it.
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return { format: "JSON", text: prettyJson(JSON.parse(trimmed)) };
    } catch {
      // cut short or not JSON: shown as text
    }
  }
  return { format: "text", text: value };
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}

function cutNote(text: string, totalBytes: unknown): string | undefined {
  if (typeof totalBytes !== "number") return undefined;
  const kept = Buffer.byteLength(text);
  return totalBytes > kept ? `first ${formatBytes(kept)} of ${formatBytes(totalBytes)}` : undefined;
}

/** Takes the payload out of a recorded request or response; records without one come back whole. */
export function splitRecord(record: unknown): SplitRecord {
  if (!isRecord(record)) return { rest: record, payload: null };
  const key = payloadKeys.find((name) => record[name] !== undefined && record[name] !== null && record[name] !== "");
  if (!key) return { rest: record, payload: null };
  const { [key]: value, ...rest } = record;
  const shown = viewPayload(value);
  const cut = typeof value === "string" ? cutNote(value, record[`${key}Bytes`]) : undefined;
  return { rest, payload: { key, ...shown, ...(cut ? { cut } : {}) } };
}
