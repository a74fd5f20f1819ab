// POST /v2/publish/<url>, POST /v2/enqueue/<queue>/<url> and POST /v2/batch: validate, dedup,
// store and schedule. A batch is validated whole before any entry is accepted.
import { HttpError, flattenHeaders, readBody, type Reply } from "./http-utils";
import { buildDraft, maxMessageBytes } from "./options";
import type { Scheduler } from "./scheduler";
import { dedupKeyOf, newMessageId, type MessageStore } from "./store";
import type { MessageDraft } from "./types";
import type { IncomingMessage } from "node:http";

const maxBatchBytes = 16 * maxMessageBytes;

export interface PublishContext {
  req: IncomingMessage;
  store: MessageStore;
  scheduler: Scheduler;
  log: (line: string) => void;
}

interface Accepted {
  messageId: string;
  url: string;
  deduplicated?: boolean;
}

/** `now` is the draft's own, so createdAt and a delayed notBefore share one clock reading. */
function accept(ctx: PublishContext, draft: MessageDraft, now: number): Accepted {
  const dedupKey = dedupKeyOf(draft);
  const duplicateOf = dedupKey === undefined ? undefined : ctx.store.findDuplicate(dedupKey, now);
  if (duplicateOf !== undefined) {
    ctx.log(`deduplicated publish to ${draft.url} as ${duplicateOf}`);
    return { messageId: duplicateOf, url: draft.url, deduplicated: true };
  }
  const messageId = newMessageId();
  if (dedupKey !== undefined) ctx.store.rememberDedup(dedupKey, messageId, now);
  const callerIp = ctx.req.socket.remoteAddress;
  ctx.scheduler.enqueue({ ...draft, messageId, createdAt: now, callerIp, retried: 0, isCallback: false });
  const delay = draft.notBefore > now ? ` not before ${new Date(draft.notBefore).toISOString()}` : "";
  ctx.log(`accepted ${messageId} → ${draft.method} ${draft.url}${delay}`);
  return { messageId, url: draft.url };
}

export async function publishOne(ctx: PublishContext, destination: string, queueName?: string): Promise<Reply> {
  const body = await readBody(ctx.req, maxMessageBytes);
  const now = Date.now();
  const draft = buildDraft({ destination, headers: flattenHeaders(ctx.req), body, queueName, now });
  const accepted = accept(ctx, draft, now);
  return { status: accepted.deduplicated ? 202 : 201, body: accepted };
}

function asStringRecord(value: unknown, index: number): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(400, `batch[${index}].headers must be an object`);
  }
  const headers: Record<string, string> = {};
  for (const [name, inner] of Object.entries(value)) {
    if (typeof inner !== "string") throw new HttpError(400, `batch[${index}].headers["${name}"] must be a string`);
    headers[name.toLowerCase()] = inner;
  }
  return headers;
}

function parseBatchEntry(entry: unknown, index: number, now: number): MessageDraft {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new HttpError(400, `batch[${index}] must be an object`);
  }
  const { destination, headers, body, queue } = entry as Record<string, unknown>;
  if (typeof destination !== "string") throw new HttpError(400, `batch[${index}].destination must be a string`);
  if (body !== undefined && body !== null && typeof body !== "string") {
    throw new HttpError(400, `batch[${index}].body must be a string`);
  }
  if (queue !== undefined && typeof queue !== "string") {
    throw new HttpError(400, `batch[${index}].queue must be a string`);
  }
  try {
    const bytes = Buffer.from(typeof body === "string" ? body : "", "utf8");
    return buildDraft({ destination, headers: asStringRecord(headers, index), body: bytes, queueName: queue, now });
  } catch (error) {
    if (error instanceof HttpError && !error.message.startsWith("batch[")) {
      throw new HttpError(error.status, `batch[${index}]: ${error.message}`);
    }
    throw error;
  }
}

export async function publishBatch(ctx: PublishContext): Promise<Reply> {
  const raw = await readBody(ctx.req, maxBatchBytes);
  let entries: unknown;
  try {
    entries = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new HttpError(400, "batch body must be a JSON array");
  }
  if (!Array.isArray(entries)) throw new HttpError(400, "batch body must be a JSON array");
  const now = Date.now();
  const drafts = entries.map((entry, index) => parseBatchEntry(entry, index, now));
  return { status: 201, body: drafts.map((draft) => accept(ctx, draft, now)) };
}
