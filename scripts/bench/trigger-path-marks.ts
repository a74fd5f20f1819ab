// When a Switchyard trigger reaches each stand-in on its way to the subscriber: its Redis call
// at the REST bridge, its publish at the local QStash server, and QStash's delivery request
// leaving for /api/deliver. Real QStash runs on other machines, so publish in → delivery out is
// time the local end to end spends outside the app. Both stand-ins run in the bench's process
// and are watched through Node's HTTP diagnostics channels: nothing in them changes or waits.
import diagnostics from "node:diagnostics_channel";
import type { ClientRequest, IncomingMessage } from "node:http";

export interface TriggerPathMarks {
  /** performance.now() of the first Redis call after reset(); undefined without a Redis call. */
  redisAt?: number;
  publishedAt: number;
  dispatchedAt: number;
}

export interface TriggerPathWatch {
  /** Forget the last trigger's marks: call before each trigger. */
  reset(): void;
  /** The last trigger's marks; undefined until its delivery has left QStash. */
  lastMarks(): TriggerPathMarks | undefined;
  close(): void;
}

export function watchTriggerPath(options: { qstashUrl: string; redisUrl: string; deliverPath?: string }): TriggerPathWatch {
  const qstashPort = Number(new URL(options.qstashUrl).port);
  const redisPort = Number(new URL(options.redisUrl).port);
  const deliverPath = options.deliverPath ?? "/api/deliver";
  let marks: Partial<TriggerPathMarks> = {};
  const onServerRequest = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    const port = request.socket.localPort;
    if (port === redisPort && marks.redisAt === undefined && marks.publishedAt === undefined) marks.redisAt = performance.now();
    if (port !== qstashPort || marks.publishedAt !== undefined) return;
    if (request.url === "/v2/batch" || request.url?.startsWith("/v2/publish/")) marks.publishedAt = performance.now();
  };
  const onClientRequest = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (marks.publishedAt !== undefined && marks.dispatchedAt === undefined && request.path.startsWith(deliverPath)) marks.dispatchedAt = performance.now();
  };
  diagnostics.subscribe("http.server.request.start", onServerRequest);
  diagnostics.subscribe("http.client.request.start", onClientRequest);
  return {
    reset() {
      marks = {};
    },
    lastMarks() {
      const { redisAt, publishedAt, dispatchedAt } = marks;
      return publishedAt !== undefined && dispatchedAt !== undefined ? { redisAt, publishedAt, dispatchedAt } : undefined;
    },
    close() {
      diagnostics.unsubscribe("http.server.request.start", onServerRequest);
      diagnostics.unsubscribe("http.client.request.start", onClientRequest);
    },
  };
}
