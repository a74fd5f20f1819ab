// POST /v2/publish/<url>, POST /v2/enqueue/<queue>/<url> and POST /v2/batch (an entry's `queue`
// enqueues it): validate, dedup, store and schedule. A batch is answered entry by entry, as
// QStash does (features/batch.mdx): a refused entry gets `{error}` in its slot while the others
// are sent.
import { HttpError, flattenHeaders, readBody, type Reply } from "./http-utils";
import { buildDraft, type DraftLimits } from "./options";
import type { DailyQuota } from "./quota";
import type { Scheduler } from "./scheduler";
import { dedupKeyOf, newMessageId, type MessageStore } from "./store";
import type { BatchEntryView, MessageDraft } from "./types";
import type { IncomingMessage } from "node:http";

/**
 * One batch call carries at most 100 MB; each entry still keeps the plan's message size. The
 * changelog (December 2024) raised "the maximum response body size for batch use cases" to 100 MB
 * per REST call: reading it as the request's size is this server's choice.
 */
const maxBatchBytes = 100 * 1024 * 1024;

export interface PublishContext {
  req: IncomingMessage;
  store: MessageStore;
  scheduler: Scheduler;
  limits: DraftLimits;
  quota?: DailyQuota;
  refuseEntry?: (entry: BatchEntryView) => string | undefined;
  log: (line: string) => void;
}

interface Accepted {
  messageId: string;
  url: string;
  deduplicated?: boolean;
}

type BatchSlot = Accepted | { error: string };

/** `now` is the draft's own, so createdAt and a delayed notBefore share one clock reading. */
function accept(ctx: PublishContext, draft: MessageDraft, now: number): Accepted {
  const dedupKey = dedupKeyOf(draft);
  const duplicateOf = dedupKey === undefined ? undefined : ctx.store.findDuplicate(dedupKey, now);
  if (duplicateOf !== undefined) {
    ctx.log(`deduplicated publish to ${draft.url} as ${duplicateOf}`);
    return { messageId: duplicateOf, url: draft.url, deduplicated: true };
  }
  const messageId = newMessageId();
  const callerIp = ctx.req.socket.remoteAddress;
  // First, so a queue that cannot be created refuses the message before its dedup id is kept.
  ctx.scheduler.enqueue({ ...draft, messageId, createdAt: now, callerIp, retried: 0, isCallback: false });
  if (dedupKey !== undefined) ctx.store.rememberDedup(dedupKey, messageId, now);
  const delay = draft.notBefore > now ? ` not before ${new Date(draft.notBefore).toISOString()}` : "";
  ctx.log(`accepted ${messageId} → ${draft.method} ${draft.url}${delay}`);
  return { messageId, url: draft.url };
}

export async function publishOne(ctx: PublishContext, destination: string, queueName?: string): Promise<Reply> {
  const body = await readBody(ctx.req, ctx.limits.maxMessageBytes);
  const now = Date.now();
  const draft = buildDraft({ destination, limits: ctx.limits, headers: flattenHeaders(ctx.req), body, queueName, now });
  ctx.quota?.take(1, now);
  const accepted = accept(ctx, draft, now);
  return { status: accepted.deduplicated ? 202 : 201, body: accepted };
}

function asStringRecord(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new HttpError(400, "headers must be an object");
  const headers: Record<string, string> = {};
  for (const [name, inner] of Object.entries(value)) {
    if (typeof inner !== "string") throw new HttpError(400, `headers["${name}"] must be a string`);
    headers[name.toLowerCase()] = inner;
  }
  return headers;
}

function parseEntryView(entry: unknown, index: number): BatchEntryView & { queue?: string } {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw new HttpError(400, "entry must be an object");
  const { destination, headers, body, queue } = entry as Record<string, unknown>;
  if (typeof destination !== "string") throw new HttpError(400, "destination must be a string");
  if (body !== undefined && body !== null && typeof body !== "string") throw new HttpError(400, "body must be a string");
  if (queue !== undefined && typeof queue !== "string") throw new HttpError(400, "queue must be a string");
  return { index, destination, headers: asStringRecord(headers), body: typeof body === "string" ? body : "", queue };
}

function publishEntry(ctx: PublishContext, entry: unknown, index: number, now: number): BatchSlot {
  try {
    const view = parseEntryView(entry, index);
    const refusal = ctx.refuseEntry?.(view);
    if (refusal !== undefined) return { error: refusal };
    const { destination, headers, queue } = view;
    const draft = buildDraft({ destination, limits: ctx.limits, headers, body: Buffer.from(view.body, "utf8"), queueName: queue, now });
    return accept(ctx, draft, now);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    ctx.log(`refused batch[${index}]: ${error.message}`);
    return { error: error.message };
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
  ctx.quota?.take(entries.length, now);
  return { status: 201, body: entries.map((entry, index) => publishEntry(ctx, entry, index, now)) };
}
