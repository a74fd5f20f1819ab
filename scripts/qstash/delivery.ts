// One delivery attempt: the signed request QStash would send, and what came back. Expected
// failures (status, network error, timeout) are values; only a server shutdown rejects.
import { canonicalHeaderName } from "./options";
import { signDelivery } from "./signing";
import type { AttemptResult, HeaderMap, StoredMessage } from "./types";

const bodylessMethods = new Set(["GET", "HEAD"]);

export class DeliveryAborted extends Error {}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function toHeaderMap(headers: Headers): HeaderMap {
  const map: HeaderMap = {};
  headers.forEach((value, name) => {
    (map[canonicalHeaderName(name)] ??= []).push(value);
  });
  return map;
}

async function buildHeaders(message: StoredMessage, signingKey: string, body: Buffer): Promise<Headers> {
  const headers = new Headers();
  for (const [name, values] of Object.entries(message.header)) headers.set(name, values.join(", "));
  // Set after the forwarded ones so a publisher cannot forge them.
  headers.set("Upstash-Signature", await signDelivery(signingKey, message.url, body));
  headers.set("Upstash-Message-Id", message.messageId);
  headers.set("Upstash-Retried", String(message.retried));
  headers.set("Upstash-Retries", String(message.maxRetries));
  headers.set("User-Agent", "Upstash-QStash");
  return headers;
}

function failure(error: string): AttemptResult {
  return { status: 0, header: {}, body: Buffer.from(error), error, nonRetryable: false };
}

/** `stop` aborts the attempt when the server closes; that case throws DeliveryAborted. */
export async function attemptDelivery(
  message: StoredMessage,
  signingKey: string,
  stop: AbortSignal,
): Promise<AttemptResult> {
  // fetch cannot send a body with GET/HEAD, so the signature covers the empty body actually sent.
  const body = bodylessMethods.has(message.method) ? Buffer.alloc(0) : message.body;
  const headers = await buildHeaders(message, signingKey, body);
  const signal = AbortSignal.any([stop, AbortSignal.timeout(message.timeoutMs)]);
  try {
    const response = await fetch(message.url, {
      method: message.method,
      headers,
      // A copy typed as a plain ArrayBuffer view, which is what BodyInit accepts.
      body: body.length > 0 ? new Uint8Array(body) : undefined,
      redirect: "manual",
      signal,
    });
    const responseBody = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      header: toHeaderMap(response.headers),
      body: responseBody,
      retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), Date.now()),
      nonRetryable: response.status === 489 && response.headers.get("upstash-nonretryable-error") === "true",
    };
  } catch (error) {
    if (stop.aborted) throw new DeliveryAborted("server closed");
    if (signal.aborted) return failure(`timed out after ${message.timeoutMs} ms`);
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return failure(`${error instanceof Error ? error.message : String(error)}${cause}`);
  }
}
