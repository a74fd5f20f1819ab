// Which HTTP answers are worth retrying: 2xx succeeded; 408, 429 and 5xx retryable; everything
// else (other 4xx, and 3xx that were not followed) permanent.
import type { OutcomeResult } from "@/lib/destinations/types";

export function classifyHttpStatus(status: number): OutcomeResult {
  if (status >= 200 && status < 300) return "succeeded";
  if (status === 408 || status === 429 || status >= 500) return "retryable";
  return "permanent";
}

/** The recorded error for a non-2xx answer. */
export function httpFailureMessage(status: number, followRedirects: boolean): string {
  if (status >= 300 && status < 400) {
    return followRedirects ? `HTTP ${status}: redirect not followed (no usable Location)` : `HTTP ${status}: redirect not followed (set followRedirects)`;
  }
  if (status === 410) return "HTTP 410 Gone: the destination was disabled";
  return `HTTP ${status}`;
}

/** Retry-After as seconds (delta-seconds or an HTTP date), capped at one day. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Math.ceil((Date.parse(value) - now) / 1000);
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(seconds, 86_400);
}
