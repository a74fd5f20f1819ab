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

export const deliveryStatuses = ["queued", "succeeded", "failed", "dead", "skipped"] as const;

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
}

export async function listDeliveries(db: Database, query: DeliveryQuery): Promise<DeliveryPage> {
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
