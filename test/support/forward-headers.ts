// What a test proxy passes on of a Node request's headers: all but the hop-by-hop ones, which
// belong to each connection (fetch sets its own).
import type http from "node:http";

export const hopByHop = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"]);

export function forwardableHeaders(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || hopByHop.has(name)) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}
