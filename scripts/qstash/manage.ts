// The read/cancel side: /v2/messages, /v2/dlq and /v2/keys, in the reply shapes
// @upstash/qstash 2.12's Messages and DLQ classes parse.
import { filterDlq, filterMessages, paginate } from "./filters";
import { HttpError, type Reply } from "./http-utils";
import type { Scheduler } from "./scheduler";
import type { MessageStore } from "./store";
import type { DlqEntry } from "./types";
import { toDlqView, toMessageView } from "./views";

const defaultPageSize = 100;

export interface ManageContext {
  store: MessageStore;
  scheduler: Scheduler;
  keys: { current: string; next: string };
}

export function getMessage(ctx: ManageContext, messageId: string): Reply {
  const message = ctx.store.messages.get(messageId);
  if (!message) throw new HttpError(404, `message ${messageId} not found`);
  return { status: 200, body: toMessageView(message) };
}

/** `messages.cancel(id)` parses `{cancelled}`; the deprecated `messages.delete(id)` ignores it. */
export function cancelMessage(ctx: ManageContext, messageId: string): Reply {
  if (!ctx.scheduler.cancel(messageId)) throw new HttpError(404, `message ${messageId} not found`);
  return { status: 200, body: { cancelled: 1 } };
}

/** `cancel({all: true})` / `deleteAll()` send only `count`, which QStash ignores: no filter = all. */
export function cancelMessages(ctx: ManageContext, query: URLSearchParams): Reply {
  const matching = filterMessages(ctx.store.messages.values(), query);
  const cancelled = matching.filter((message) => ctx.scheduler.cancel(message.messageId)).length;
  return { status: 200, body: { cancelled } };
}

export function listDlq(ctx: ManageContext, query: URLSearchParams): Reply {
  const { page, cursor } = paginate(filterDlq(ctx.store.dlq.values(), query), query, defaultPageSize);
  return { status: 200, body: { messages: page.map(toDlqView), ...(cursor === undefined ? {} : { cursor }) } };
}

function findDlqEntry(ctx: ManageContext, dlqId: string): DlqEntry {
  const entry = ctx.store.dlq.get(dlqId);
  if (!entry) throw new HttpError(404, `DLQ message ${dlqId} not found`);
  return entry;
}

export function getDlqMessage(ctx: ManageContext, dlqId: string): Reply {
  return { status: 200, body: toDlqView(findDlqEntry(ctx, dlqId)) };
}

export function deleteDlqMessage(ctx: ManageContext, dlqId: string): Reply {
  ctx.store.dlq.delete(findDlqEntry(ctx, dlqId).dlqId);
  return { status: 200, body: { deleted: 1 } };
}

/**
 * Bulk DLQ actions remove what they touch, so every call works from the start of the matching
 * list; the cursor they return only says "more remain" and is ignored when passed back.
 */
function takeDlqBatch(ctx: ManageContext, query: URLSearchParams): { batch: DlqEntry[]; cursor?: string } {
  const matching = filterDlq(ctx.store.dlq.values(), query);
  const paging = new URLSearchParams(query);
  paging.delete("cursor");
  const { page, cursor } = paginate(matching, paging, defaultPageSize);
  for (const entry of page) ctx.store.dlq.delete(entry.dlqId);
  return { batch: page, cursor: cursor === undefined ? undefined : "more" };
}

export function deleteDlqMessages(ctx: ManageContext, query: URLSearchParams): Reply {
  const { batch, cursor } = takeDlqBatch(ctx, query);
  return { status: 200, body: { deleted: batch.length, ...(cursor === undefined ? {} : { cursor }) } };
}

export function retryDlqMessages(ctx: ManageContext, query: URLSearchParams): Reply {
  const { batch, cursor } = takeDlqBatch(ctx, query);
  const responses = batch.map((entry) => ({ messageId: ctx.scheduler.republish(entry.message).messageId }));
  return { status: 200, body: { responses, ...(cursor === undefined ? {} : { cursor }) } };
}

export function getKeys(ctx: ManageContext): Reply {
  return { status: 200, body: ctx.keys };
}
