// The operator's delivery log: filters, keyset pages, and one delivery with its attempts.
import { z } from "zod";
import type { Database } from "@/lib/db";
import type { DeliveryAttemptRow, DeliveryRow, EventRow } from "@/lib/db/schema";
import { listDeliveryRows } from "@/lib/db/queries/delivery-log";
import { findDeliveryById, listAttempts } from "@/lib/db/queries/deliveries";
import { findEventById } from "@/lib/db/queries/events";
import { notFound } from "@/lib/errors";
import { cursorSchema, uuidv7Floor } from "@/lib/ids";
import { pageLimitSchema, parseListQuery } from "@/lib/http/list-query";
import { filterSchema, type Filter } from "@/lib/filters/filter-schema";
import { searchDeliveries } from "@/lib/deliveries/search-deliveries";

export const deliveryStatuses = ["queued", "succeeded", "failed", "dead", "skipped"] as const;

/** Text that must parse as JSON: the filter arrives in a query string. */
const jsonTextSchema = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: "custom", message: "is not JSON (send the filter as URL-encoded JSON)" });
    return z.NEVER;
  }
});

export const deliveryQuerySchema = z.object({
  callbackId: z.uuid().optional(),
  destinationId: z.uuid().optional(),
  status: z.enum(deliveryStatuses).optional(),
  kind: z.enum(["http", "mqtt", "amqp"]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: cursorSchema.optional(),
  /** The page newer than this id (a `prevCursor`); `cursor` wins when both are sent. */
  after: cursorSchema.optional(),
  limit: pageLimitSchema,
  /** The filter language as URL-encoded JSON, over each delivery's captured request. */
  filter: jsonTextSchema.pipe(filterSchema).optional(),
});

export type DeliveryQuery = z.infer<typeof deliveryQuerySchema>;

function presentDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    eventId: row.event_id,
    callbackId: row.callback_id,
    destinationId: row.destination_id,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    target: row.target,
    lastError: row.last_error,
    lastStatusCode: row.last_status_code,
    durationMs: row.last_duration_ms,
    qstashMessageId: row.qstash_message_id,
    replayOf: row.replay_of,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

export type DeliveryView = ReturnType<typeof presentDelivery>;

export interface DeliveryPage {
  items: DeliveryView[];
  /** Older rows: pass as `cursor`. */
  nextCursor: string | null;
  /** Newer rows: pass as `after`. */
  prevCursor: string | null;
  /** Only with `filter`: the window searched and whether the page stopped at the work cap. */
  search?: SearchReport;
}

export interface SearchReport {
  from: string;
  to: string | null;
  /** Candidates read for this page (after what SQL could rule out). */
  examined: number;
  /** The cap on examined candidates ended the page early: `nextCursor` (or `prevCursor` going newer) continues the search. */
  cutShort: boolean;
}

/** With a filter and no `from`, the search covers the day before `to` (or before now). */
const defaultSearchWindowMs = 86_400_000;

export async function listDeliveries(db: Database, query: DeliveryQuery, now = Date.now()): Promise<DeliveryPage> {
  if (query.filter) return searchPage(db, query, query.filter, now);
  const newer = query.after !== undefined && query.cursor === undefined;
  const rows = await listDeliveryRows(db, {
    callbackId: query.callbackId,
    destinationId: query.destinationId,
    status: query.status,
    kind: query.kind,
    beforeId: query.cursor?.toLowerCase(),
    afterId: newer ? query.after?.toLowerCase() : undefined,
    fromId: query.from ? uuidv7Floor(new Date(query.from)) : undefined,
    toId: query.to ? uuidv7Floor(new Date(query.to)) : undefined,
    limit: query.limit + 1,
  });
  const more = rows.length > query.limit;
  // A newer page is read oldest first (ascending from the cursor), then shown newest first.
  const page = newer ? rows.slice(0, query.limit).reverse() : rows.slice(0, query.limit);
  const first = page[0];
  const last = page[page.length - 1];
  const hasOlder = newer ? page.length > 0 : more;
  const hasNewer = newer ? more : query.cursor !== undefined;
  return {
    items: page.map(presentDelivery),
    nextCursor: hasOlder && last ? last.id : null,
    prevCursor: hasNewer && first ? first.id : null,
  };
}

const lowerId = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined || a < b ? a : b);

/** A page of the deliveries whose event matches `filter`, within the search window. */
async function searchPage(db: Database, query: DeliveryQuery, filter: Filter, now: number): Promise<DeliveryPage> {
  const newer = query.after !== undefined && query.cursor === undefined;
  const from = query.from ? new Date(query.from) : new Date((query.to ? Date.parse(query.to) : now) - defaultSearchWindowMs);
  const toId = query.to ? uuidv7Floor(new Date(query.to)) : undefined;
  const cursor = query.cursor?.toLowerCase();
  const after = newer ? query.after?.toLowerCase() : undefined;
  const found = await searchDeliveries(db, {
    filter,
    callbackId: query.callbackId,
    destinationId: query.destinationId,
    status: query.status,
    kind: query.kind,
    fromId: uuidv7Floor(from),
    belowId: lowerId(cursor, toId),
    aboveId: after,
    ascending: newer,
    limit: query.limit + 1,
  });
  const more = found.matches.length > query.limit;
  const rows = found.matches.slice(0, query.limit);
  const page = newer ? rows.reverse() : rows;
  const first = page[0]?.id;
  const last = page[page.length - 1]?.id;
  const onward = found.cutShortAt ?? (more ? (newer ? first : last) : undefined) ?? null;
  // Going older, the way back is newer than the first row shown (or than the cursor on an empty page), and vice versa.
  const back = newer ? (last ?? after ?? null) : query.cursor !== undefined ? (first ?? cursor ?? null) : null;
  return {
    items: page.map(presentDelivery),
    nextCursor: newer ? back : onward,
    prevCursor: newer ? onward : back,
    search: { from: from.toISOString(), to: query.to ? new Date(query.to).toISOString() : null, examined: found.examined, cutShort: found.cutShortAt !== null },
  };
}

function presentAttempt(row: DeliveryAttemptRow) {
  return {
    id: row.id,
    attempt: row.attempt,
    startedAt: row.started_at.toISOString(),
    durationMs: row.duration_ms,
    outcome: row.outcome,
    request: row.request,
    response: row.response,
    error: row.error,
    qstashMessageId: row.qstash_message_id,
    qstashRetried: row.qstash_retried,
  };
}

function presentEvent(row: EventRow) {
  return {
    id: row.id,
    receivedAt: row.received_at.toISOString(),
    method: row.method,
    path: row.path,
    query: row.query,
    headers: row.headers,
    body: row.body,
    bodyEncoding: row.body_encoding,
    bodyBytes: row.body_bytes,
  };
}

export async function getDeliveryDetail(db: Database, id: string) {
  const row = await findDeliveryById(db, id);
  if (!row) throw notFound("Delivery");
  const [attempts, event] = await Promise.all([listAttempts(db, id), findEventById(db, row.event_id)]);
  return { ...presentDelivery(row), attemptsLog: attempts.map(presentAttempt), event: event ? presentEvent(event) : null };
}

export function parseDeliveryQuery(url: URL): DeliveryQuery {
  return parseListQuery(deliveryQuerySchema, url);
}
