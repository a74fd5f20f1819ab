// One outgoing HTTP exchange under a deadline: the SSRF guard at connect time (and before it
// for IP literals), a bounded response sample, and cheap timings from the socket's events.
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import { assertLiteralAllowed, guardedLookup, type AddressPolicy } from "@/lib/destinations/address-guard";
import type { TlsConnectOptions } from "@/lib/destinations/tls/options";

export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface RequestTimings {
  lookupMs?: number;
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
  totalMs: number;
}

export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  /** The first `maxBodyBytes` of the body, as UTF-8. */
  body: string;
  timings: RequestTimings;
}

export interface ExchangeOptions {
  policy: AddressPolicy;
  /** Epoch ms by which the whole exchange (connect, headers, body sample) must be done. */
  deadline: number;
  /** For the timeout message: the budget the deadline came from. */
  timeoutMs: number;
  maxBodyBytes: number;
  /** For an https:// exchange: CA, client certificate, SNI (tlsConnectOptions). Unset: system CAs, full verification. */
  tls?: TlsConnectOptions;
}

export class RequestTimeoutError extends Error {
  override name = "RequestTimeoutError";
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : String(value ?? "")]));
}

function watchSocket(socket: Socket, timings: Partial<RequestTimings>, elapsed: () => number): void {
  socket.once("lookup", () => (timings.lookupMs = elapsed()));
  socket.once("connect", () => (timings.connectMs = elapsed()));
  socket.once("secureConnect", () => (timings.tlsMs = elapsed()));
}

/** Collects up to `maxBytes`; the returned function ends the read early with what has arrived. */
function readSample(response: http.IncomingMessage, maxBytes: number, done: (body: string) => void): () => void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    response.destroy();
    done(Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8"));
  };
  response.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) finish();
  });
  response.on("end", finish);
  // A body cut short (timeout, reset) still leaves the status, which decides the outcome.
  response.on("error", finish);
  response.on("aborted", finish);
  return finish;
}

/** Sends one request (no redirects). Rejects with BlockedAddressError, RequestTimeoutError or a socket error. */
export async function exchangeOnce(request: OutgoingRequest, options: ExchangeOptions): Promise<RawHttpResponse> {
  assertLiteralAllowed(request.url.hostname, options.policy);
  const remainingMs = options.deadline - Date.now();
  if (remainingMs <= 0) throw new RequestTimeoutError(options.timeoutMs);
  const secure = request.url.protocol === "https:";
  const transport = secure ? https : http;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timings: Partial<RequestTimings> = {};
  return new Promise((resolve, reject) => {
    const outgoing = transport.request(request.url, {
      method: request.method,
      headers: request.headers,
      agent: false,
      lookup: guardedLookup(options.policy),
      ...(secure ? (options.tls ?? {}) : {}),
    });
    let cutShort: (() => void) | undefined;
    // Once the status is in, a slow body only shortens the sample; before that it is a timeout.
    const timer = setTimeout(() => (cutShort ? cutShort() : outgoing.destroy(new RequestTimeoutError(options.timeoutMs))), remainingMs);
    outgoing.on("socket", (socket) => watchSocket(socket, timings, elapsed));
    outgoing.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.on("response", (response) => {
      timings.firstByteMs = elapsed();
      cutShort = readSample(response, options.maxBodyBytes, (body) => {
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          headers: flattenHeaders(response.headers),
          body,
          timings: { ...timings, totalMs: elapsed() },
        });
      });
    });
    outgoing.end(request.body);
  });
}
