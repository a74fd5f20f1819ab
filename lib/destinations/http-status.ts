// Which HTTP answers are worth retrying.
import type { OutcomeResult } from "@/lib/destinations/types";

export function classifyHttpStatus(status: number): OutcomeResult {
  if (status >= 200 && status < 300) return "succeeded";
  if (status === 408 || status === 429 || status >= 500) return "retryable";
  return "permanent";
}

/** Retry-After as seconds (delta-seconds or an HTTP date), capped at one day. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Math.ceil((Date.parse(value) - now) / 1000);
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(seconds, 86_400);
}
