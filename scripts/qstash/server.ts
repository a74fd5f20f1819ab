// HTTP front of the local QStash: bearer auth, routing, and a close() that leaves nothing
// running (timers, in-flight deliveries, keep-alive sockets) so test processes can exit.
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { routeFlowControl } from "./flow-routes";
import { HttpError, decodePathSegment, sendError, sendJson, type Reply } from "./http-utils";
import * as manage from "./manage";
import { qstashPlans } from "./plans";
import { publishBatch, publishOne, type PublishContext } from "./publish";
import { routeQueues } from "./queue-routes";
import { DailyQuota } from "./quota";
import { Scheduler } from "./scheduler";
import { MessageStore } from "./store";
import type { QstashServer, QstashServerOptions } from "./types";

/** The SDK's built-in dev credentials (DEV_CREDENTIALS in @upstash/qstash 2.12). */
export const devCredentials = {
  token: "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=",
  currentSigningKey: "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r",
  nextSigningKey: "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs",
} as const;

type Context = PublishContext & manage.ManageContext;

function isAuthorized(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `rest` is what follows /v2/messages/ or /v2/dlq/: "" for the collection, else one id. */
function singleId(rest: string): string | undefined {
  return rest === "" || rest.includes("/") ? undefined : decodePathSegment(rest, "id");
}

async function routeMessages(ctx: Context, method: string, rest: string, query: URLSearchParams): Promise<Reply> {
  const id = singleId(rest);
  if (rest === "" && method === "DELETE") return manage.cancelMessages(ctx, query);
  if (id !== undefined && method === "GET") return manage.getMessage(ctx, id);
  if (id !== undefined && method === "DELETE") return manage.cancelMessage(ctx, id);
  throw new HttpError(404, `no route for ${method} /v2/messages/${rest}`);
}

async function routeDlq(ctx: Context, method: string, rest: string, query: URLSearchParams): Promise<Reply> {
  const id = singleId(rest);
  if (rest === "" && method === "GET") return manage.listDlq(ctx, query);
  if (rest === "" && method === "DELETE") return manage.deleteDlqMessages(ctx, query);
  if (rest === "retry" && method === "POST") return manage.retryDlqMessages(ctx, query);
  if (id !== undefined && method === "GET") return manage.getDlqMessage(ctx, id);
  if (id !== undefined && method === "DELETE") return manage.deleteDlqMessage(ctx, id);
  throw new HttpError(404, `no route for ${method} /v2/dlq/${rest}`);
}

/** The publish destination is the raw rest of the URL, query string included, as QStash reads it. */
async function route(ctx: Context, method: string, rawUrl: string): Promise<Reply> {
  const { pathname, searchParams } = new URL(rawUrl, "http://local");
  const publishPrefix = "/v2/publish/";
  if (method === "POST" && rawUrl.startsWith(publishPrefix)) return publishOne(ctx, rawUrl.slice(publishPrefix.length));
  const enqueue = /^\/v2\/enqueue\/([^/]+)\/(.+)$/.exec(rawUrl);
  if (method === "POST" && enqueue) return publishOne(ctx, enqueue[2], decodePathSegment(enqueue[1], "id"));
  if (method === "POST" && pathname === "/v2/batch") return publishBatch(ctx);
  if (method === "GET" && pathname === "/v2/keys") return manage.getKeys(ctx);
  const flow = routeFlowControl(ctx.scheduler, method, pathname, searchParams);
  if (flow) return flow;
  const queue = await routeQueues(ctx.req, ctx.scheduler, method, pathname);
  if (queue) return queue;
  const [, area, rest = ""] = /^\/v2\/(messages|dlq)\/?(.*)$/.exec(pathname) ?? [];
  if (area === "messages") return routeMessages(ctx, method, rest, searchParams);
  if (area === "dlq") return routeDlq(ctx, method, rest, searchParams);
  throw new HttpError(404, `no route for ${method} ${pathname}`);
}

async function handle(ctx: Context, token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rawUrl = req.url ?? "/";
  try {
    if (!rawUrl.startsWith("/v2/")) throw new HttpError(404, `no route for ${req.method} ${rawUrl}`);
    if (!isAuthorized(req, token)) throw new HttpError(401, "missing or invalid bearer token");
    sendJson(res, await route(ctx, req.method ?? "GET", rawUrl));
  } catch (error) {
    if (!(error instanceof HttpError)) ctx.log(`error on ${req.method} ${rawUrl}: ${String(error)}`);
    // Only readBody's hard limit kills the socket; then there is no one left to answer.
    if (req.socket.destroyed) return;
    await drainRequest(req);
    sendError(res, error);
  }
}

/**
 * Answering before the body is read can reset the socket under a client that is still
 * uploading; undici reports that as a network error and the SDK retries it instead of
 * surfacing the 401.
 */
async function drainRequest(req: IncomingMessage): Promise<void> {
  // A body read to the end with for-await leaves req destroyed but complete.
  if (req.complete || req.destroyed) return;
  await new Promise<void>((resolve) => {
    req.once("end", resolve);
    req.once("close", resolve);
    req.resume();
  });
}

export async function startQstashServer(options: QstashServerOptions = {}): Promise<QstashServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? devCredentials.token;
  const keys = {
    current: options.currentSigningKey ?? devCredentials.currentSigningKey,
    next: options.nextSigningKey ?? devCredentials.nextSigningKey,
  };
  const log = options.log ?? (() => {});
  const plan = qstashPlans[options.plan ?? "free"];
  const store = new MessageStore();
  const scheduler = new Scheduler(store, {
    signingKey: keys.current,
    backoffBaseMs: options.backoffBaseMs,
    maxParallelism: options.maxParallelism ?? plan.maxParallelism,
    queueLimits: { maxQueues: plan.maxQueues, maxParallelism: plan.maxQueueParallelism },
    region: options.region ?? "EU-CENTRAL-1",
    log,
  });
  const limits = { maxMessageBytes: plan.maxMessageBytes, defaultTimeoutMs: plan.maxResponseDurationMs, maxDelayMs: plan.maxDelayMs };
  const quota = options.dailyMessageQuota === undefined ? undefined : new DailyQuota(options.dailyMessageQuota);
  const { refuseEntry } = options;
  const server = createServer((req, res) => {
    void handle({ req, store, scheduler, keys, log, limits, quota, refuseEntry }, token, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  log(`QStash listening on ${url}`);
  return {
    url,
    port,
    pauseDeliveries: () => scheduler.pause(),
    resumeDeliveries: () => scheduler.resume(),
    close: async () => {
      scheduler.close();
      store.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
