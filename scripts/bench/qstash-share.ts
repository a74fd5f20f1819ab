// How long the local QStash server itself holds a message on Switchyard's end-to-end path: from
// the trigger route's publish reaching it to its delivery request to /api/deliver leaving it.
// Real QStash runs on other machines, so this part of the local end to end is not the app's.
// Watched from outside through Node's HTTP diagnostics channels (the server runs in the bench's
// process): nothing in the stand-in changes or waits for this.
import diagnostics from "node:diagnostics_channel";
import type { ClientRequest, IncomingMessage } from "node:http";

export interface QstashWatch {
  /** Forget the last publish and dispatch: call before each trigger. */
  reset(): void;
  /** performance.now() of the publish arriving and of the delivery leaving; undefined if either is missing. */
  lastMarks(): { publishedAt: number; dispatchedAt: number } | undefined;
  close(): void;
}

export function watchQstash(qstashUrl: string, deliverPath = "/api/deliver"): QstashWatch {
  const port = Number(new URL(qstashUrl).port);
  let publishedAt: number | undefined;
  let dispatchedAt: number | undefined;
  const onServerRequest = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    if (request.socket.localPort !== port || publishedAt !== undefined) return;
    if (request.url === "/v2/batch" || request.url?.startsWith("/v2/publish/")) publishedAt = performance.now();
  };
  const onClientRequest = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (publishedAt !== undefined && dispatchedAt === undefined && request.path.startsWith(deliverPath)) dispatchedAt = performance.now();
  };
  diagnostics.subscribe("http.server.request.start", onServerRequest);
  diagnostics.subscribe("http.client.request.start", onClientRequest);
  return {
    reset() {
      publishedAt = undefined;
      dispatchedAt = undefined;
    },
    lastMarks: () => (publishedAt !== undefined && dispatchedAt !== undefined ? { publishedAt, dispatchedAt } : undefined),
    close() {
      diagnostics.unsubscribe("http.server.request.start", onServerRequest);
      diagnostics.unsubscribe("http.client.request.start", onClientRequest);
    },
  };
}
