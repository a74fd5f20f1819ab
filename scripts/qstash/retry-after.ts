// When the receiver says when to retry (qstash/features/retry.mdx "Retry-After Headers"):
// Retry-After, X-RateLimit-Reset, X-RateLimit-Reset-Requests or X-RateLimit-Reset-Tokens, in
// seconds, as an RFC 1123 date, or as a Go duration ("6m5s"; ns, us/µs, ms, s, m, h). A value
// beyond one day is ignored and the message's backoff applies instead.
import type { HeaderMap } from "./types";

/** The order retry.mdx lists them in; the first one present counts. */
const retryAfterHeaders = ["Retry-After", "X-Ratelimit-Reset", "X-Ratelimit-Reset-Requests", "X-Ratelimit-Reset-Tokens"];
const maxRetryAfterMs = 86_400_000;
const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const durationPattern = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
/** RFC 1123 as Go writes it: "Sun, 27 Jun 2024 12:16:24 GMT". */
const rfc1123Pattern = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [A-Z]{3}$/;

function parseOne(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  if (durationPattern.test(trimmed)) {
    let totalMs = 0;
    for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) totalMs += Number(amount) * unitMs[unit];
    return Math.round(totalMs);
  }
  const date = rfc1123Pattern.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The delay the response asks for, in ms; undefined when it asks none the docs honour. */
export function retryAfterMsOf(header: HeaderMap, now: number): number | undefined {
  for (const name of retryAfterHeaders) {
    const value = header[name]?.[0];
    if (value === undefined) continue;
    const delayMs = parseOne(value, now);
    return delayMs !== undefined && delayMs <= maxRetryAfterMs ? delayMs : undefined;
  }
  return undefined;
}
