// Maps Upstash REST requests (`/`, `/pipeline`, `/multi-exec`, `/<cmd>/<arg>…`) onto the Redis link.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ZodError } from "zod";
import { commandListSchema, commandSchema } from "./commands";
import type { RedisCommand } from "./commands";
import { encodeReply } from "./encode-reply";
import type { JsonReply } from "./encode-reply";
import { HttpError, isAuthorized, parseJson, readBody, sendJson, wantsBase64 } from "./http";
import { RedisUnavailableError } from "./redis-link";
import type { Outcome, RedisLink } from "./redis-link";

interface Reply {
  status: number;
  body: unknown;
}

type ItemReply = { result: JsonReply } | { error: string };

export interface HandlerOptions {
  link: RedisLink;
  token: string;
  log: (line: string) => void;
}

export function createRequestHandler(options: HandlerOptions) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, options)
      .catch((error: unknown) => replyForError(error, options.log))
      .then((reply) => sendJson(response, reply.status, reply.body))
      .catch((error: unknown) => options.log(`redis-bridge: could not answer: ${String(error)}`));
  };
}

async function handle(request: IncomingMessage, options: HandlerOptions): Promise<Reply> {
  if (!isAuthorized(request, options.token)) return { status: 401, body: { error: "Unauthorized" } };
  const base64 = wantsBase64(request);
  const method = request.method ?? "GET";
  const path = new URL(request.url ?? "/", "http://bridge").pathname;
  const body = await readBody(request);
  if (path === "/pipeline" || path === "/multi-exec" || path === "/") {
    if (method !== "POST") throw new HttpError(405, `ERR ${method} is not allowed on ${path}`);
    const parsed = parseJson(body);
    if (path === "/") return runSingle(options.link, commandSchema.parse(parsed), base64);
    const commands = commandListSchema.parse(parsed);
    if (path === "/pipeline") return runPipeline(options.link, commands, base64);
    return runTransaction(options.link, commands, base64);
  }
  if (method !== "GET" && method !== "POST") throw new HttpError(405, `ERR ${method} is not allowed`);
  return runSingle(options.link, commandFromPath(path, body), base64);
}

/** curl-style `/set/key/value`; a POST body becomes the last argument, as Upstash does. */
function commandFromPath(path: string, body: Buffer): RedisCommand {
  const segments = path.slice(1).replace(/\/$/, "").split("/");
  let args: RedisCommand;
  try {
    args = segments.map((segment) => decodeURIComponent(segment));
  } catch {
    throw new HttpError(400, "ERR malformed percent-encoding in the path");
  }
  return body.length > 0 ? [...args, body] : args;
}

function toItem(outcome: Outcome, base64: boolean): ItemReply {
  return outcome.ok ? { result: encodeReply(outcome.reply, base64) } : { error: outcome.error };
}

async function runSingle(link: RedisLink, command: RedisCommand, base64: boolean): Promise<Reply> {
  const outcome = await link.run(command);
  return { status: outcome.ok ? 200 : 400, body: toItem(outcome, base64) };
}

async function runPipeline(link: RedisLink, commands: RedisCommand[], base64: boolean): Promise<Reply> {
  const outcomes = await link.runPipeline(commands);
  return { status: 200, body: outcomes.map((outcome) => toItem(outcome, base64)) };
}

async function runTransaction(link: RedisLink, commands: RedisCommand[], base64: boolean): Promise<Reply> {
  const outcome = await link.runTransaction(commands);
  if (!outcome.ok) return { status: 400, body: { error: outcome.error } };
  return { status: 200, body: outcome.items.map((item) => toItem(item, base64)) };
}

function replyForError(error: unknown, log: (line: string) => void): Reply {
  if (error instanceof HttpError) return { status: error.status, body: { error: error.message } };
  if (error instanceof ZodError) {
    const detail = error.issues[0]?.message ?? "invalid command";
    const message = detail.startsWith("ERR") ? detail : `ERR invalid command: ${detail}`;
    return { status: 400, body: { error: message } };
  }
  // Not logged per request: the link already logs each outage once.
  if (error instanceof RedisUnavailableError) return { status: 503, body: { error: `ERR ${error.message}` } };
  log(`redis-bridge: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { status: 500, body: { error: "ERR internal bridge error" } };
}
