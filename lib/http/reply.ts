// An answer as plain data, so the same handler can answer through a Web Response (App Router)
// or a Node ServerResponse (Pages API routes and plain node:http).
export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Already serialized; null for no body. */
  body: string | null;
}

export function jsonReply(data: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, headers: { ...headers, "content-type": "application/json", "cache-control": "no-store" }, body: JSON.stringify(data) };
}

export function toWebResponse(reply: Reply): Response {
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}
