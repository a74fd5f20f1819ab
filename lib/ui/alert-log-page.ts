// The alerts page: a keyset page of the alerts log (newest first), each alert with the reason
// and destination name its payload carries.
import type { Database } from "@/lib/db";
import { alertEventSchema } from "@/lib/alerts/alert-event";
import { alertQuerySchema, listAlerts, type AlertView } from "@/lib/alerts/list-alerts";

const alertPageSize = 50;

export interface AlertLogItem extends Omit<AlertView, "payload"> {
  reason: string;
  destinationName: string | null;
}

export interface AlertLog {
  items: AlertLogItem[];
  nextCursor: string | null;
  /** Set when the page link (cursor) is unreadable. */
  error: string | null;
}

function toItem({ payload, ...alert }: AlertView): AlertLogItem {
  const event = alertEventSchema.safeParse(payload);
  return {
    ...alert,
    reason: event.success ? event.data.reason : "(the stored alert is unreadable)",
    destinationName: event.success ? event.data.destinationName : null,
  };
}

export async function loadAlertLog(db: Database, cursor: string | undefined): Promise<AlertLog> {
  const query = alertQuerySchema.safeParse({ cursor, limit: alertPageSize });
  if (!query.success) return { items: [], nextCursor: null, error: "This page link is not valid: start again from the newest alerts." };
  const page = await listAlerts(db, query.data);
  return { items: page.items.map(toItem), nextCursor: page.nextCursor, error: null };
}
