// One delivery attempt: the signed request QStash would send, and what came back. Expected
// failures (status, network error, timeout) are values; only a server shutdown rejects.
import http from "node:http";
import https from "node:https";
import { canonicalHeaderName } from "./options";
import { retryAfterMsOf } from "./retry-after";
import { signDelivery } from "./signing";
import type { AttemptResult, HeaderMap, StoredMessage } from "./types";

const bodylessMethods = new Set(["GET", "HEAD"]);

export class DeliveryAborted extends Error {}

/** node's rawHeaders: name, value, name, value… */
function toHeaderMap(rawHeaders: string[]): HeaderMap {
  const map: HeaderMap = {};
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    (map[canonicalHeaderName(rawHeaders[index])] ??= []).push(rawHeaders[index + 1]);
  }
  return map;
}

export interface DeliverySigner {
  signingKey: string;
  region: string;
}

/**
 * Exactly what QStash sends (howto/receiving.mdx, howto/multi-region.mdx): the forwarded headers
 * and Content-Type, then its own. It never sends the retry budget (no Upstash-Retries), and
 * Upstash-Topic-Name / Upstash-Schedule-Id only for URL groups and schedules, which this
 * server does not keep.
 */
async function buildHeaders(message: StoredMessage, signer: DeliverySigner, body: Buffer): Promise<Headers> {
  const headers = new Headers();
  for (const [name, values] of Object.entries(message.header)) headers.set(name, values.join(", "));
  // Set after the forwarded ones so a publisher cannot forge them.
  headers.set("Upstash-Signature", await signDelivery(signer.signingKey, message.url, body));
  headers.set("Upstash-Message-Id", message.messageId);
  headers.set("Upstash-Retried", String(message.retried));
  if (message.callerIp !== undefined) headers.set("Upstash-Caller-Ip", message.callerIp);
  headers.set("Upstash-Region", signer.region);
  headers.set("User-Agent", "Upstash-QStash");
  return headers;
}

function failure(error: string): AttemptResult {
  return { status: 0, header: {}, body: Buffer.from(error), error, nonRetryable: false };
}

interface RawResponse {
  status: number;
  header: HeaderMap;
  body: Buffer;
}

/**
 * node:http rather than fetch: fetch adds headers of its own (Accept, Accept-Language,
 * Sec-Fetch-Mode), and the destination must see only what QStash sends. Redirects are not followed.
 */
function send(message: StoredMessage, headers: Headers, body: Buffer, signal: AbortSignal): Promise<RawResponse> {
  const url = new URL(message.url);
  const outgoing: Record<string, string> = Object.fromEntries(headers);
  if (!bodylessMethods.has(message.method)) outgoing["content-length"] = String(body.length);
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? https : http).request(url, { method: message.method, headers: outgoing, signal }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => resolve({ status: response.statusCode ?? 0, header: toHeaderMap(response.rawHeaders), body: Buffer.concat(chunks) }));
    });
    request.on("error", reject);
    request.end(body.length > 0 ? body : undefined);
  });
}

function firstHeader(header: HeaderMap, name: string): string | null {
  return header[canonicalHeaderName(name)]?.[0] ?? null;
}

/** `stop` aborts the attempt when the server closes; that case throws DeliveryAborted. */
export async function attemptDelivery(message: StoredMessage, signer: DeliverySigner, stop: AbortSignal): Promise<AttemptResult> {
  // No body with GET/HEAD, so the signature covers the empty body actually sent.
  const body = bodylessMethods.has(message.method) ? Buffer.alloc(0) : message.body;
  const headers = await buildHeaders(message, signer, body);
  const signal = AbortSignal.any([stop, AbortSignal.timeout(message.timeoutMs)]);
  try {
    const response = await send(message, headers, body, signal);
    return {
      ...response,
      retryAfterMs: retryAfterMsOf(response.header, Date.now()),
      nonRetryable: response.status === 489 && firstHeader(response.header, "upstash-nonretryable-error") === "true",
    };
  } catch (error) {
    if (stop.aborted) throw new DeliveryAborted("server closed");
    if (signal.aborted) return failure(`timed out after ${message.timeoutMs} ms`);
    return failure(error instanceof Error ? error.message : String(error));
  }
}
