// POST|GET /v2/queues, GET|DELETE /v2/queues/{name} and POST /v2/queues/{name}/pause|resume, as
// openapi.yaml lists them and @upstash/qstash 2.12's Queue class calls them.
import type { IncomingMessage } from "node:http";
import { HttpError, decodePathSegment, readBody, type Reply } from "./http-utils";
import type { Scheduler } from "./scheduler";

const maxUpsertBytes = 64 * 1024;

interface UpsertBody {
  queueName: string;
  parallelism: number;
  paused?: boolean;
}

/** openapi.yaml: queueName and parallelism (an integer, minimum 1, default 1); the SDK adds paused. */
function parseUpsert(raw: Buffer): UpsertBody {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new HttpError(400, "the queue upsert body must be JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpError(400, "the queue upsert body must be a JSON object");
  const { queueName, parallelism = 1, paused } = body as Record<string, unknown>;
  if (typeof queueName !== "string") throw new HttpError(400, "queueName must be a string");
  if (typeof parallelism !== "number" || !Number.isInteger(parallelism) || parallelism < 1) {
    throw new HttpError(400, `parallelism must be an integer of at least 1, got ${JSON.stringify(parallelism)}`);
  }
  if (paused !== undefined && typeof paused !== "boolean") throw new HttpError(400, "paused must be true or false");
  return { queueName, parallelism, paused };
}

async function routeCollection(req: IncomingMessage, scheduler: Scheduler, method: string): Promise<Reply> {
  if (method === "GET") return { status: 200, body: scheduler.queues.list() };
  if (method !== "POST") throw new HttpError(404, `no route for ${method} /v2/queues`);
  const { queueName, parallelism, paused } = parseUpsert(await readBody(req, maxUpsertBytes));
  scheduler.queues.upsert(queueName, parallelism, paused, Date.now());
  // A raised parallelism or an unpause lets waiting messages start.
  scheduler.wakeQueue(queueName);
  return { status: 200 };
}

export async function routeQueues(req: IncomingMessage, scheduler: Scheduler, method: string, pathname: string): Promise<Reply | undefined> {
  if (pathname === "/v2/queues" || pathname === "/v2/queues/") return routeCollection(req, scheduler, method);
  const match = /^\/v2\/queues\/([^/]+)(?:\/(pause|resume))?$/.exec(pathname);
  if (!match) return undefined;
  const name = decodePathSegment(match[1], "queue name");
  const action = match[2];
  if (method === "GET" && action === undefined) return { status: 200, body: scheduler.queues.view(name) };
  if (method === "DELETE" && action === undefined) scheduler.deleteQueue(name);
  else if (method === "POST" && action === "pause") scheduler.queues.setPaused(name, true, Date.now());
  else if (method === "POST" && action === "resume") scheduler.resumeQueue(name);
  else throw new HttpError(404, `no route for ${method} ${pathname}`);
  return { status: 200 };
}
