// The operator's view of alerts sent (or not): newest first, keyset pages like the delivery log.
import { z } from "zod";
import type { Database } from "@/lib/db";
import type { AlertRow } from "@/lib/db/schema";
import { listAlertRows } from "@/lib/db/queries/alerts";
import { cursorSchema } from "@/lib/ids";
import { pageLimitSchema, parseListQuery } from "@/lib/http/list-query";

export const alertQuerySchema = z.object({
  cursor: cursorSchema.optional(),
  limit: pageLimitSchema,
});

export type AlertQuery = z.infer<typeof alertQuerySchema>;

function presentAlert(row: AlertRow) {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    callbackId: row.callback_id,
    destinationId: row.destination_id,
    deliveryId: row.delivery_id,
    target: row.target,
    lastError: row.last_error,
    lastStatusCode: row.last_status_code,
    durationMs: row.last_duration_ms,
    qstashMessageId: row.qstash_message_id,
    payload: row.payload,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

export type AlertView = ReturnType<typeof presentAlert>;

export function parseAlertQuery(url: URL): AlertQuery {
  return parseListQuery(alertQuerySchema, url);
}

export async function listAlerts(db: Database, query: AlertQuery): Promise<{ items: AlertView[]; nextCursor: string | null }> {
  const rows = await listAlertRows(db, { beforeId: query.cursor?.toLowerCase(), limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map(presentAlert), nextCursor: rows.length > query.limit && last ? last.id : null };
}
