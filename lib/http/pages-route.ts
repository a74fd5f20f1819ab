// Adapts a hot-path handler (triggers, QStash callbacks) to a Pages API route: params from the
// dynamic segments, every thrown value mapped to the JSON error answer in one place. Such a
// route file must also export `config = { api: { bodyParser: false } }` — literally, since Next
// reads it statically — because signatures and byte caps need the raw body.
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorReply } from "@/lib/http/error-reply";
import { inboundFromNode, writeNodeReply, type InboundRequest } from "@/lib/http/inbound";
import type { Reply } from "@/lib/http/reply";

/** What Next puts on a Pages API request: the dynamic segments (and the query string). */
export type RouteQuery = Partial<Record<string, string | string[]>>;

export type HotHandler<P> = (input: { request: InboundRequest; params: P }) => Promise<Reply>;

export function pagesApiRoute<P>(handler: HotHandler<P>, toParams: (query: RouteQuery) => P) {
  return async (request: IncomingMessage & { query?: RouteQuery }, response: ServerResponse): Promise<void> => {
    let reply: Reply;
    try {
      reply = await handler({ request: inboundFromNode(request), params: toParams(request.query ?? {}) });
    } catch (error) {
      reply = errorReply(error, { head: request.method === "HEAD" });
    }
    writeNodeReply(request, response, reply);
  };
}
