// Request/response plumbing for the local QStash server. Every error leaves as `{"error": "..."}`
// because the SDK turns the raw body into QstashError's message.
import type { IncomingMessage, ServerResponse } from "node:http";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function sendJson(res: ServerResponse, reply: Reply): void {
  const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...reply.headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof HttpError) {
    sendJson(res, { status: error.status, body: { error: error.message }, headers: error.headers });
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendJson(res, { status: 500, body: { error: `internal error: ${message}` } });
}

/**
 * Reads the whole body but keeps at most `maxBytes`. An oversize body is drained, not cut off:
 * undici treats a reset socket as a network error, and the SDK would retry it five times
 * instead of surfacing the 413.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const drainLimitBytes = maxBytes * 16;
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    received += buffer.length;
    if (received > drainLimitBytes) {
      req.destroy();
      break;
    }
    if (received <= maxBytes) chunks.push(buffer);
  }
  if (received > maxBytes) {
    throw new HttpError(413, `request body is ${received} bytes; the limit is ${maxBytes}`);
  }
  return Buffer.concat(chunks);
}

/** One percent-encoded path segment (an id, key or queue name); malformed escapes are a 400. */
export function decodePathSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `malformed ${what} "${segment}"`);
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Flattens node's header object to lower-case name → single string, as fetch's Headers does. */
export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name of Object.keys(req.headers)) {
    const value = headerValue(req, name);
    if (value !== undefined) flat[name] = value;
  }
  return flat;
}
