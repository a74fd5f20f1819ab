// The verification requests a callback answered (events of kind "handshake"), for operators:
// they never reach the delivery log, which lists deliveries, and a handshake has none.
import type { Database } from "@/lib/db";
import { listHandshakeEvents } from "@/lib/db/queries/events";
import { requireCallback } from "@/lib/callbacks/manage-callbacks";

export interface HandshakeView {
  eventId: string;
  receivedAt: string;
  method: string;
  query: Record<string, unknown>;
  /** The request body as received (UTF-8 text, or base64), at most 1 KB of it. */
  body: string;
}

const shownBodyChars = 1024;

export async function listHandshakes(db: Database, callbackId: string, limit = 10): Promise<HandshakeView[]> {
  await requireCallback(db, callbackId);
  const rows = await listHandshakeEvents(db, callbackId, limit);
  return rows.map((row) => ({
    eventId: row.id,
    receivedAt: row.received_at.toISOString(),
    method: row.method,
    query: (row.query ?? {}) as Record<string, unknown>,
    body: row.body.slice(0, shownBodyChars),
  }));
}
