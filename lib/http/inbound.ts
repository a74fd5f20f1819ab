// What the hot-path handlers (triggers and QStash callbacks) need of a request, and how their
// answer is written, on Node's own request and response: the tests serve them over plain
// node:http, `next start` and Vercel as Pages API routes (see README, "Why pages/api").
import type { IncomingMessage, ServerResponse } from "node:http";
import { readCappedBody } from "@/lib/http/read-body";
import type { Reply } from "@/lib/http/reply";

export interface InboundHeaders {
  /** Header names are case-insensitive; repeated headers come joined with ", ". */
  get(name: string): string | null;
  forEach(visit: (value: string, name: string) => void): void;
}

export interface InboundRequest {
  readonly method: string;
  readonly headers: InboundHeaders;
  readonly searchParams: URLSearchParams;
  /** The raw body, or 413 once more than `maxBytes` arrive. */
  readBody(maxBytes: number): Promise<Uint8Array>;
}

/** Node's parsed headers: lower-case names, repeats as arrays (set-cookie) or already joined. */
class NodeHeaders implements InboundHeaders {
  constructor(private readonly raw: IncomingMessage["headers"]) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }

  forEach(visit: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.raw)) {
      const value = this.get(name);
      if (value !== null) visit(value, name);
    }
  }
}

export function inboundFromNode(request: IncomingMessage): InboundRequest {
  const url = request.url ?? "/";
  const queryAt = url.indexOf("?");
  const headers = new NodeHeaders(request.headers);
  return {
    method: request.method ?? "GET",
    headers,
    searchParams: new URLSearchParams(queryAt === -1 ? "" : url.slice(queryAt + 1)),
    readBody: (maxBytes) => readCappedBody(request.iterator({ destroyOnReturn: false }), headers.get("content-length"), maxBytes),
  };
}

/** An unread body up to this size is read and dropped by Node after the answer (keep-alive). */
const discardableBodyBytes = 64 * 1024;

/**
 * A body left partly read (413 mid-stream), of unknown length or large would stay on the socket
 * or cost a long read: close the connection instead. A small body never read (404, 405, 401
 * answered before reading) Node discards itself once the answer is sent, keeping the connection.
 */
function mustClose(request: IncomingMessage): boolean {
  if (request.complete) return false;
  const declared = Number(request.headers["content-length"] ?? Number.NaN);
  return request.readableDidRead || !(declared <= discardableBodyBytes);
}

export function writeNodeReply(request: IncomingMessage, response: ServerResponse, reply: Reply): void {
  if (mustClose(request)) response.setHeader("connection", "close");
  response.writeHead(reply.status, reply.headers);
  response.end(request.method === "HEAD" ? undefined : (reply.body ?? undefined));
}
