// Turns an inbound webhook into the captured request stored with the event: hop-by-hop headers
// dropped, credentials redacted, the body kept as UTF-8 text or, if it is not text, base64.
import type { CapturedRequest } from "@/lib/deliveries/job";
import type { InboundHeaders, InboundRequest } from "@/lib/http/inbound";
import { redactedValue } from "@/lib/log";
import { credentialHeaderNames } from "@/lib/secrets/credential-names";
import { storableText } from "@/lib/db/storable-value";

const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length"]);

/** At most this many headers are kept; a sender with more is not a webhook sender we must mirror. */
export const maxCapturedHeaders = 200;

export function captureHeaders(headers: InboundHeaders, extraRedacted: readonly string[] = []): Record<string, string> {
  const redacted = new Set([...credentialHeaderNames, ...extraRedacted.map((name) => name.toLowerCase())]);
  const captured: Record<string, string> = {};
  let count = 0;
  headers.forEach((value, name) => {
    if (hopByHop.has(name) || name.startsWith("x-vercel-") || count >= maxCapturedHeaders) return;
    captured[name] = redacted.has(name) ? redactedValue : value;
    count += 1;
  });
  return captured;
}

// A "%00" in the query decodes to U+0000, which the event row (Postgres text and jsonb) cannot
// hold: it is captured as U+FFFD, so the event is stored and every delivery sees what it shows.
export function captureQuery(searchParams: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(searchParams.keys())) {
    const values = searchParams.getAll(key).map(storableText);
    query[storableText(key)] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return query;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Text without NUL bytes as UTF-8; anything else (NUL cannot be stored as text) as base64, exactly. */
export function captureBody(bytes: Uint8Array): Pick<CapturedRequest, "body" | "bodyEncoding"> {
  const binary = () => ({ body: Buffer.from(bytes).toString("base64"), bodyEncoding: "base64" as const });
  if (bytes.includes(0)) return binary();
  try {
    return { body: strictUtf8.decode(bytes), bodyEncoding: "utf8" };
  } catch {
    return binary();
  }
}

export interface CaptureInput {
  request: InboundRequest;
  bodyBytes: Uint8Array;
  /** The path as operators see it, with any secret (the token) already replaced. */
  displayPath: string;
  redactHeaders?: readonly string[];
  receivedAt: Date;
}

export function captureRequest(input: CaptureInput): CapturedRequest {
  return {
    method: input.request.method,
    path: input.displayPath,
    query: captureQuery(input.request.searchParams),
    headers: captureHeaders(input.request.headers, input.redactHeaders),
    ...captureBody(input.bodyBytes),
    receivedAt: input.receivedAt.toISOString(),
  };
}
